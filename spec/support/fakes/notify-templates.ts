// Fake Notify templates for the worker's three e-mails, using every placeholder of
// contracts.md §9.2, so a missing personalisation key fails the way GOV.UK Notify would.

import type { FakeTemplate } from './notify.js';

export const TEMPLATE_IDS = {
  completed: '2b7e0c4a-5d1f-4a8e-9c3b-7f6d5e4a3b21',
  rejected: '3c8f1d5b-6e2a-4b9f-8d4c-8a7e6f5b4c32',
  failed: '4d9a2e6c-7f3b-4cae-9e5d-9b8f7a6c5d43',
} as const;

export function deliveryTemplates(ids: { completed: string; rejected: string; failed: string } = TEMPLATE_IDS): FakeTemplate[] {
  return [
    {
      id: ids.completed,
      subject: 'Your ((assessment_type)) assessment is ready: ((development_name))',
      body: [
        'Reference: ((reference))', 'Sites: ((site_count))', 'Nitrogen: ((nitrogen_total))', 'Phosphorus: ((phosphorus_total))',
        'Wastewater treatment works: ((wwtw))', 'Catchments: ((catchments))', 'Levy: ((levy))', 'Great crested newts: ((gcn_summary))',
        'Results: ((results_link))',
      ].join('\n'),
    },
    {
      id: ids.rejected,
      subject: 'We could not assess ((development_name))',
      body: 'Reference: ((reference))\nAssessment: ((assessment_type))\n((error_message))\n(Code: ((error_code)))',
    },
    {
      id: ids.failed,
      subject: 'NRF worker failure: ((error_code)) on ((job_id))',
      body: [
        'Job: ((job_id)) (((job_type)), ((assessment_type)))', 'Error: ((error_code))', '((error_summary))', 'Correlation: ((correlation_id))',
        'Message: ((message_id)), attempts ((attempts))', 'At: ((occurred_at))',
      ].join('\n'),
    },
  ];
}
