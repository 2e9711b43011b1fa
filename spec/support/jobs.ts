// The body of a file job (contracts.md §2) as the pipeline and end-to-end specs send it.

export function fileJobBody(jobId: string, key: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    job_id: jobId,
    s3_input_key: key,
    developer_email: 'developer@example.com',
    submitted_at: '2026-06-01T09:00:00Z',
    development_name: 'Land east of Station Road',
    dwelling_type: 'house',
    number_of_dwellings: 19,
    assessment_type: 'nutrient',
    ...overrides,
  };
}
