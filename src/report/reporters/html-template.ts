/**
 * The page around the HTML report: one self-contained file, its style inline, no
 * script and nothing fetched from the network. The Content-Security-Policy says
 * so to the browser too: were any text to escape its escaping, it could neither
 * run a script nor load anything.
 */
export interface PageParts {
  title: string;
  /** Already-escaped HTML. */
  body: string;
}

export function page({ title, body }: PageParts): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="leakguard">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

const STYLE = `
:root {
  --ink: #1c2330; --muted: #5c6675; --line: #e3e7ee; --bg: #f5f7fa; --card: #ffffff;
  --red: #c62828; --red-bg: #fdecea; --amber: #9a5b00; --amber-bg: #fff4e0;
  --green: #2e7d32; --green-bg: #e8f5e9; --blue: #1f5fbf; --blue-bg: #e8f0fd;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.top { background: #151b26; color: #fff; padding: 28px 40px 30px; }
header.top .brand { font-weight: 700; letter-spacing: .08em; text-transform: uppercase; font-size: 12px; color: #9fb3d1; }
header.top .brand .shield { display: inline-block; width: 10px; height: 12px; margin-right: 6px; border-radius: 2px 2px 6px 6px; background: #e53935; vertical-align: -1px; }
header.top h1 { margin: 6px 0 4px; font-size: 28px; font-weight: 650; }
header.top h1.clean { color: #a5d6a7; }
header.top p { margin: 0; color: #c7d2e3; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 40px 48px; }
h2 { font-size: 19px; margin: 36px 0 12px; }
h2 .hint { font-size: 14px; font-weight: 400; color: var(--muted); margin-left: 8px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 14px; margin-top: -44px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; box-shadow: 0 1px 3px rgba(20,30,50,.08); }
.card .num { display: block; font-size: 28px; font-weight: 700; line-height: 1.1; }
.card .label { color: var(--muted); font-size: 13px; }
.card.danger .num { color: var(--red); }
.card.ok .num { color: var(--green); }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px; }
.steps { margin: 0; padding-left: 20px; }
.steps li { margin: 4px 0; }
code, .mono { font-family: var(--mono); font-size: 13px; }
code { background: #eef1f6; border-radius: 4px; padding: 1px 5px; }
.badge { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge.present { color: var(--red); background: var(--red-bg); }
.badge.removed { color: var(--amber); background: var(--amber-bg); }
.badge.unknown { color: var(--muted); background: #eef1f6; }
.badge.live { color: #fff; background: var(--red); }
.badge.provider { color: var(--blue); background: var(--blue-bg); }
ol.timeline { list-style: none; margin: 0; padding: 4px 0 4px 0; position: relative; }
ol.timeline::before { content: ""; position: absolute; left: 131px; top: 8px; bottom: 8px; width: 2px; background: var(--line); }
ol.timeline li { display: grid; grid-template-columns: 112px 40px 1fr; align-items: start; margin: 0 0 12px; }
ol.timeline time { color: var(--muted); font-size: 13px; text-align: right; padding-top: 12px; font-variant-numeric: tabular-nums; }
ol.timeline .dot { width: 12px; height: 12px; border-radius: 50%; margin: 15px 0 0 14px; background: var(--amber); box-shadow: 0 0 0 4px var(--bg); position: relative; }
ol.timeline li.present .dot { background: var(--red); }
ol.timeline .event { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; }
.event .what { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
.event .who { color: var(--muted); font-size: 13px; margin-top: 2px; }
details.provider { background: var(--card); border: 1px solid var(--line); border-radius: 10px; margin: 0 0 14px; overflow: hidden; }
details.provider > summary { cursor: pointer; list-style: none; padding: 12px 18px; display: flex; gap: 12px; align-items: baseline; border-bottom: 1px solid var(--line); background: #fafbfd; }
details.provider > summary::-webkit-details-marker { display: none; }
details.provider > summary h3 { margin: 0; font-size: 16px; }
details.provider > summary .count { color: var(--muted); font-size: 13px; }
.file { padding: 10px 18px 14px; }
.file + .file { border-top: 1px dashed var(--line); }
.file h4 { margin: 4px 0 8px; font-family: var(--mono); font-size: 13.5px; font-weight: 600; word-break: break-all; }
table { width: 100%; border-collapse: collapse; font-size: 13.5px; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; padding: 6px 8px; border-bottom: 1px solid var(--line); }
td { padding: 8px; border-bottom: 1px solid #f0f2f6; vertical-align: top; }
tr:last-child td { border-bottom: 0; }
td.where { white-space: nowrap; font-family: var(--mono); font-size: 12.5px; color: var(--muted); }
td.secret { font-family: var(--mono); font-size: 12.5px; min-width: 230px; overflow-wrap: anywhere; }
td.next { color: #2b3442; min-width: 260px; }
td.next a, .panel a { color: var(--blue); }
.rule { color: var(--muted); font-size: 12px; font-family: system-ui, sans-serif; margin-top: 2px; }
td .rule code { font-size: 11.5px; padding: 0 4px; }
.empty { color: var(--muted); }
footer { max-width: 1200px; margin: 0 auto; padding: 0 40px 40px; color: var(--muted); font-size: 12.5px; }
`;
