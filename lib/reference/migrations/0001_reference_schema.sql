-- Reference data: one versioned table per layer, an active-version pointer per table and the
-- load history. Reads always filter `version = <active version>` (nutrient.md §5.5, gcn.md §4).
CREATE EXTENSION IF NOT EXISTS postgis;

-- Polygon layers share one layout: name + attributes jsonb (keys are read from attributes).
-- gcn_ponds holds points or polygons (gcn.md §3.3), so its geometry is of any type.
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES
      ('nn_catchments', 'MultiPolygon'), ('wwtw_catchments', 'MultiPolygon'), ('lpa_boundaries', 'MultiPolygon'),
      ('subcatchments', 'MultiPolygon'), ('gcn_risk_zones', 'MultiPolygon'), ('edp_boundaries', 'MultiPolygon'),
      ('edp_edges', 'MultiPolygon'), ('edp_excluded_areas', 'MultiPolygon'), ('gcn_ponds', 'Geometry')) AS v(name, geom_type)
  LOOP
    EXECUTE format($f$
      CREATE TABLE IF NOT EXISTS %I (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        version int NOT NULL,
        geometry geometry(%s, 27700) NOT NULL,
        name text,
        attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )$f$, t.name, t.geom_type);
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I USING gist (geometry)', t.name || '_geometry_gist', t.name);
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (version)', t.name || '_version_idx', t.name);
  END LOOP;
END
$$;

-- CROME-like coefficient parcels with explicit coefficient columns (nutrient.md §5.2).
CREATE TABLE IF NOT EXISTS coefficient_layer (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  version int NOT NULL,
  crome_id text NOT NULL,
  land_use_cat text NOT NULL,
  nn_catchment text NOT NULL,
  subcatchment text NOT NULL,
  lu_curr_n_coeff double precision,
  lu_curr_p_coeff double precision,
  n_resi_coeff double precision,
  p_resi_coeff double precision,
  geometry geometry(MultiPolygon, 27700) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS coefficient_layer_geometry_gist ON coefficient_layer USING gist (geometry);
CREATE INDEX IF NOT EXISTS coefficient_layer_version_idx ON coefficient_layer (version);

-- WwTW permits: raw text of every source column plus parsed values (nutrient.md §5.3).
CREATE TABLE IF NOT EXISTS wwtw_lookup (
  version int NOT NULL,
  row_index int NOT NULL,
  raw jsonb NOT NULL,
  wwtw_code int,
  wwtw_name text,
  wwtw_subcatchment text,
  nitrogen_conc_2025_2030_mg_l double precision,
  nitrogen_conc_2030_onwards_mg_l double precision,
  phosphorus_conc_2025_2030_mg_l double precision,
  phosphorus_conc_2030_onwards_mg_l double precision,
  PRIMARY KEY (version, row_index)
);

-- Occupancy and water use per NN site (nutrient.md §5.4).
CREATE TABLE IF NOT EXISTS rates_lookup (
  version int NOT NULL,
  row_index int NOT NULL,
  raw jsonb NOT NULL,
  nn_catchment text,
  occupancy_rate double precision,
  water_usage_l_per_person_day double precision,
  PRIMARY KEY (version, row_index)
);

-- Levy tables (levy.md §2).
CREATE TABLE IF NOT EXISTS levy_charges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  version int NOT NULL,
  edp_id int NOT NULL,
  edp_name text NOT NULL,
  edp_start_date date NOT NULL,
  charge_valid_from date NOT NULL,
  charge_valid_to date NOT NULL,
  base_charge_per_unit numeric(12, 2) NOT NULL,
  model_version int NOT NULL
);
CREATE INDEX IF NOT EXISTS levy_charges_version_idx ON levy_charges (version);

CREATE TABLE IF NOT EXISTS levy_inflation_index (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  version int NOT NULL,
  charging_year int NOT NULL,
  cil_index numeric(10, 4) NOT NULL
);
CREATE INDEX IF NOT EXISTS levy_inflation_index_version_idx ON levy_inflation_index (version);

-- The version every read uses, per table. No row = no active version.
CREATE TABLE IF NOT EXISTS data_active_version (
  table_name text PRIMARY KEY,
  active_version int NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per loaded version: source, counts, the QC report, and whether it was activated.
CREATE TABLE IF NOT EXISTS data_load_history (
  table_name text NOT NULL,
  version int NOT NULL,
  source text NOT NULL,
  row_count int NOT NULL,
  repaired_count int NOT NULL DEFAULT 0,
  qc_passed boolean NOT NULL,
  report jsonb NOT NULL DEFAULT '{}'::jsonb,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  activated_at timestamptz,
  PRIMARY KEY (table_name, version)
);
