// Starts the fake backend and the fake GOV.UK Notify for humans and the demo, prints their URLs,
// keys and the environment lines to point a worker at them, and stops both on Ctrl-C.
// Usage: node --import tsx scripts/fakes.ts
//   FAKE_BACKEND_PORT (default 3001), FAKE_NOTIFY_PORT (default 3002), FAKE_HOST (default 127.0.0.1),
//   BACKEND_API_KEY and GOVUK_NOTIFY_API_KEY to reuse fixed keys (otherwise generated).

import { startFakeBackend } from '../spec/support/fakes/backend.js';
import { makeNotifyApiKey, startFakeNotify } from '../spec/support/fakes/notify.js';
import { TEMPLATE_IDS, deliveryTemplates } from '../spec/support/fakes/notify-templates.js';

const host = process.env.FAKE_HOST ?? '127.0.0.1';
const backendKey = process.env.BACKEND_API_KEY ?? 'local-backend-key';
const notifyKey = process.env.GOVUK_NOTIFY_API_KEY ?? makeNotifyApiKey('nrf-local');

const backend = await startFakeBackend({ apiKey: backendKey, host, port: Number(process.env.FAKE_BACKEND_PORT ?? 3001) });
const notify = await startFakeNotify({ apiKeys: [notifyKey], templates: deliveryTemplates(), host, port: Number(process.env.FAKE_NOTIFY_PORT ?? 3002) });

const lines = [
  `fake backend: ${backend.url}  (calls: GET/DELETE ${backend.url}/_fake/calls, faults: POST/DELETE ${backend.url}/_fake/faults)`,
  `fake Notify:  ${notify.url}  (store: GET/DELETE ${notify.url}/_fake/notifications; recipients notify-fail-429@… / notify-slow-15000@… inject faults)`,
  '',
  '# environment for a worker:',
  `BACKEND_BASE_URL=${backend.url}`,
  `BACKEND_API_KEY=${backendKey}`,
  `GOVUK_NOTIFY_BASE_URL=${notify.url}`,
  `GOVUK_NOTIFY_API_KEY=${notifyKey}`,
  `GOVUK_NOTIFY_TEMPLATE_COMPLETED=${TEMPLATE_IDS.completed}`,
  `GOVUK_NOTIFY_TEMPLATE_REJECTED=${TEMPLATE_IDS.rejected}`,
  `GOVUK_NOTIFY_TEMPLATE_FAILED=${TEMPLATE_IDS.failed}`,
  'GOVUK_NOTIFY_SUPPORT_EMAIL=nrf-support@example.gov.uk',
  'RESULTS_BASE_URL=http://localhost:3000/results',
];
process.stdout.write(`${lines.join('\n')}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([backend.stop(), notify.stop()]);
  process.exit(0);
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
