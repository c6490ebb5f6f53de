/**
 * The page's whole stylesheet, inlined so a report is one file that renders the same offline.
 * System font stacks only: no web fonts, nothing fetched.
 */
export const PAGE_CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", sans-serif; }
header.page { padding: 18px 32px 14px; border-bottom: 1px solid var(--line); background: var(--panel); }
header.page h1 { margin: 0 0 4px; font-size: 22px; }
header.page p { margin: 0; color: var(--muted); }
main { padding: 4px 32px 40px; max-width: 1440px; margin: 0 auto; }
section { margin-top: 28px; }
h2 { font-size: 17px; margin: 0 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 18px 0 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 140px; }
.card-label { font-size: 12px; color: var(--muted); }
.card-value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card-note { font-size: 12px; color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 16px; align-items: start; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 12px 12px 8px; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 4px; }
svg.chart { width: 100%; height: auto; display: block; font-family: inherit; }
svg.chart text { font-size: 11px; fill: var(--muted); }
svg.chart .axis-title { font-size: 12px; fill: var(--fg); }
svg.chart .legend text, svg.chart .category, svg.chart .bar-value { fill: var(--fg); }
svg.chart .axis-line, svg.chart .tick line { stroke: #8c959f; }
svg.chart line.gridline { stroke: #eaeef2; }
svg.chart.dense .category, svg.chart.dense .bar-value { font-size: 9px; }
.table-scroll { overflow-x: auto; }
table.heat-table { border-collapse: collapse; font-size: 12px; }
.heat-table caption { text-align: left; color: var(--muted); padding-bottom: 6px; }
.heat-table th, .heat-table td { border: 2px solid #fff; padding: 3px 7px; text-align: center; min-width: 26px; }
.heat-table thead th { color: var(--muted); font-weight: 500; }
.heat-table tbody th { text-align: left; white-space: nowrap; font-weight: 500; }
.cell-accepted { background: #d1f0d6; color: #116329; }
.cell-rejected { background: #ffcecb; color: #a40e26; font-weight: 700; }
.cell-absent { background: #eaeef2; color: var(--muted); }
.cell-aborted { background: #fff1c2; color: #7d4e00; }
.cell-unknown { background: var(--panel); color: #8c959f; }
p.key span { display: inline-block; min-width: 22px; text-align: center; border-radius: 3px; margin: 0 2px 0 10px; }
p.key span:first-child { margin-left: 0; }
.badge { font-size: 10px; background: #a40e26; color: #fff; border-radius: 4px; padding: 0 5px; vertical-align: 1px; }
table.kv { border-collapse: collapse; font-size: 13px; }
table.kv th, table.kv td { text-align: left; padding: 3px 16px 3px 0; border-bottom: 1px solid #eaeef2; vertical-align: top; }
table.kv th { color: var(--muted); font-weight: 500; white-space: nowrap; }
table.kv td { font-variant-numeric: tabular-nums; word-break: break-all; }
ul.attackers { display: flex; flex-wrap: wrap; gap: 6px; padding: 0; list-style: none; }
.empty { color: var(--muted); font-style: italic; }
.status { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #ddf4ff; color: #0550ae; font-weight: 600; }
.status-aborted { background: #ffcecb; color: #a40e26; }
.status-finalized { background: #d1f0d6; color: #116329; }
.error { color: #a40e26; }
footer { color: var(--muted); font-size: 12px; padding: 16px 32px; border-top: 1px solid var(--line); }
`
