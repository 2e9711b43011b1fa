// Ring closure (contracts.md §5.5 step 3, §5.9 step 4): every polygon ring's first and last
// positions must be equal. Exterior rings are checked across all features first, then interior
// rings, so the code does not depend on feature order.

import type { Position } from 'geojson';
import { inputError } from '../errors.js';
import type { FeatureRecord } from '../features.js';
import { forEachPolygon } from './walk.js';

function isOpen(ring: Position[]): boolean {
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (!first || !last) return false; // an empty ring has no shape: invalid_geometry later
  return first[0] !== last[0] || first[1] !== last[1];
}

function findOpenRing(features: readonly FeatureRecord[], interior: boolean): Record<string, number> | null {
  for (const feature of features) {
    if (!feature.geometry) continue;
    let found: Record<string, number> | null = null;
    forEachPolygon(feature.geometry, (rings, partIndex) => {
      if (found) return;
      const ringIndex = interior ? rings.findIndex((ring, i) => i > 0 && isOpen(ring)) : rings[0] && isOpen(rings[0]) ? 0 : -1;
      if (ringIndex >= 0) found = { featureIndex: feature.index, partIndex, ringIndex };
    });
    if (found) return found;
  }
  return null;
}

/**
 * Throws `unclosed_ring` for an open exterior ring, then `geometry_has_holes` for an open interior
 * ring (lenient mode accepts holes, so there an open hole is reported as `unclosed_ring`).
 */
export function assertRingsClosed(features: readonly FeatureRecord[], options: { lenient?: boolean } = {}): void {
  const exterior = findOpenRing(features, false);
  if (exterior) throw inputError('unclosed_ring', exterior);
  const interior = findOpenRing(features, true);
  if (interior) throw inputError(options.lenient ? 'unclosed_ring' : 'geometry_has_holes', { ...interior, reason: 'unclosed_interior_ring' });
}
