/** Mode of run outputs meant to be read by others (summary.json, report.html). */
export const PUBLIC_FILE_MODE = 0o644
/** Mode of directories created for such outputs. */
export const PUBLIC_DIRECTORY_MODE = 0o755
