// The error-code catalogue of contracts.md §6.1–6.3. Every failure the worker raises names one of
// these codes; `kind` decides the queue action (lib/worker/ack.ts) and `message` is what the
// developer (input codes) or support (everything else) reads.

export type ErrorKind = 'input' | 'data' | 'callback' | 'transient' | 'bug';

interface CatalogueEntry {
  readonly kind: ErrorKind;
  readonly message: string;
}

const input = (message: string): CatalogueEntry => ({ kind: 'input', message });
const data = (message: string): CatalogueEntry => ({ kind: 'data', message });
const transient = (message: string): CatalogueEntry => ({ kind: 'transient', message });

export const ERROR_CATALOGUE = {
  // §6.1 input codes
  invalid_message: input('Your request was missing some information or contained values we could not accept, so it could not be assessed. Please submit it again.'),
  file_size_too_large: input('The boundary file is bigger than {limitMb} MB. Make the file smaller and submit it again.'),
  upload_file_missing: input('The boundary file is empty. Submit a file that contains your red line boundary.'),
  s3_download_failed: input('We could not find the file you uploaded. Upload it again.'),
  unsupported_file_type: input('The boundary file must be a ZIP file containing a shapefile, or a GeoJSON file ending in .geojson or .json.'),
  invalid_zip: input('We could not open the ZIP file. It may be damaged: check it and upload it again.'),
  zip_too_many_files: input('The ZIP file holds too many files. Keep only the shapefile files and upload it again.'),
  zip_nested_zip: input('There is a ZIP file inside your ZIP file. Take it out and upload the outer ZIP file again.'),
  zip_unsafe_path: input('A folder or file path inside the ZIP file is not allowed, for example because it points outside the ZIP file. Recreate the ZIP file and upload it again.'),
  zip_entry_too_large: input('A file inside the ZIP file is bigger than 20 MB once extracted. Make it smaller and upload it again.'),
  zip_total_too_large: input('Once extracted, the files in the ZIP file add up to more than 20 MB. Make them smaller and upload the ZIP file again.'),
  unsafe_filename: input('Some file names in the ZIP file contain characters we cannot accept. Rename the files using only letters, numbers, spaces, full stops, hyphens, underscores and brackets, then upload the ZIP file again.'),
  zip_missing_shapefile: input('We could not find a shapefile (.shp) in the ZIP file. Add the shapefile and upload the ZIP file again.'),
  zip_missing_shapefile_parts: input('Some parts of the shapefile are missing. The ZIP file needs the .shp, .shx, .dbf and .prj files, all with the same name.'),
  unreadable_geometry_file: input('We could not read the boundary file. Make sure it is a valid shapefile or GeoJSON file and upload it again.'),
  missing_crs: input('The boundary file does not say which coordinate system it uses. Save it in British National Grid (EPSG:27700) or WGS 84 (EPSG:4326) and upload it again.'),
  unsupported_crs: input('The boundary file uses a coordinate system we do not support. Use British National Grid (EPSG:27700) or WGS 84 (EPSG:4326).'),
  coordinates_out_of_range: input('Some points of the red line boundary lie outside Great Britain. Check that the boundary is in the right place and uses the right coordinate system.'),
  unclosed_ring: input('The red line boundary is left open: its last point must be the same as its first. Close it and upload it again.'),
  invalid_geometry: input('The red line boundary in the file has no shape. Check the boundary and upload it again.'),
  unsupported_geometry_type: input('The boundary must be drawn as an area (a polygon). Points and lines cannot be assessed.'),
  self_intersecting_geometry: input('The red line boundary crosses over itself. Redraw it so its edges do not cross.'),
  geometry_has_holes: input('The red line boundary has a gap or hole inside it. Fill the hole and upload the boundary again.'),
  duplicate_vertices: input('Two neighbouring points on the red line boundary are in exactly the same place. Delete one of them and upload the boundary again.'),
  no_polygon_found: input('We could not find a red line boundary in the file.'),
  invalid_survey_ponds: input('We could not use the survey ponds file. It must be a zipped shapefile or a GeoJSON file in British National Grid or WGS 84, with a PANS column (P, A or NS) and, if present, a TmpImp column (T or F).'),
  legacy_attribute_missing: input('A site in the file has no number of dwellings. Give every feature a whole-number Dwellings value, or pass --dwellings N, and run it again.'),
  // §6.2 assessment, data and callback codes
  levy_edp_unresolved: input('The site must lie inside exactly one Environmental Delivery Plan area for a levy to be quoted. Check the red line boundary and submit it again.'),
  out_of_scope: input('The site is outside the nutrient neutrality catchments and does not drain to a known wastewater treatment works, so it has no nutrient impact to assess.'),
  levy_data_missing: data('Levy data missing for this EDP or date; load it, then redrive the message.'),
  levy_data_invalid: data('Levy data invalid; correct and reload the levy tables, then redrive the message.'),
  gcn_reference_data_missing: data('GCN reference layer missing or empty; load and activate it, then redrive the message.'),
  gcn_reference_data_invalid: data('GCN reference data invalid; correct and reload the layer, then redrive the message.'),
  reference_data_empty: data('Nutrient reference table has no active data; load and activate it, then redrive the message.'),
  callback_rejected: { kind: 'callback', message: 'The backend refused the result (HTTP status in the detail); fix the payload or the backend, then redrive the message.' },
  // §6.3 transient and bug reasons
  db_unavailable: transient('Database unavailable; the job will be retried.'),
  s3_unavailable: transient('Input bucket unavailable; the job will be retried.'),
  callback_failed: transient('Backend unreachable; the job will be retried.'),
  notify_failed: transient('GOV.UK Notify unavailable; the job will be retried.'),
  job_in_progress: transient('Job already running elsewhere; the message will return.'),
  deadline_exceeded: transient('Job took too long and was stopped; it will be retried.'),
  shutdown: transient('Worker shut down mid-job; the job will be resumed.'),
  internal_error: { kind: 'bug', message: 'Unexpected error ({exceptionClass}); the job will be retried, then dead-lettered.' },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);
}
