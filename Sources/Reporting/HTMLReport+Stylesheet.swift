extension HTMLReport {
    /// The page's CSS: system fonts, a readable measure, print-friendly.
    ///
    /// It holds no `<` or `&`, so the page stays well-formed XML without a CDATA section.
    static let stylesheet = """
        :root { color-scheme: light; --ink: #1c2331; --muted: #5d6678; --line: #dde2ea; --soft: #f5f7fa; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 1100px; padding: 32px 28px 48px; color: var(--ink); background: #fff;
          font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        h1 { font-size: 28px; margin: 0; letter-spacing: -0.01em; }
        h2 { font-size: 18px; margin: 0 0 10px; }
        section { margin: 32px 0 0; }
        code, .path, .where { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
        .range { color: var(--muted); margin: 4px 0 16px; }
        .meta { display: flex; flex-wrap: wrap; gap: 8px 32px; margin: 0; padding: 12px 16px;
          background: var(--soft); border-radius: 8px; }
        .meta div { min-width: 0; }
        .meta dt { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
        .meta dd { margin: 0; overflow-wrap: anywhere; }
        .tiles { display: grid; grid-template-columns: repeat(5, 1fr); gap: 12px; }
        .tile { border: 1px solid var(--line); border-left-width: 5px; border-radius: 8px; padding: 10px 14px; }
        .tile .name { font-size: 13px; color: var(--muted); }
        .tile .n { font-size: 26px; font-weight: 650; font-variant-numeric: tabular-nums; line-height: 1.2; }
        .tile .share { font-size: 13px; color: var(--muted); }
        .tile.total { border-left-color: var(--ink); }
        .tile.allow { border-left-color: #2f9e5b; }
        .tile.review { border-left-color: #e3a008; }
        .tile.block { border-left-color: #d64545; }
        .tile.errors { border-left-color: #8a94a6; }
        .chart { display: block; max-width: 100%; height: auto; }
        .chart text { font: 13px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
        .chart text.value { fill: var(--muted); font-variant-numeric: tabular-nums; }
        .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 32px; }
        table { border-collapse: collapse; width: 100%; font-size: 14px; }
        th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase;
          letter-spacing: 0.04em; border-bottom: 2px solid var(--line); }
        th, td { padding: 6px 10px; vertical-align: top; }
        td { border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tbody tr:last-child td { border-bottom: none; }
        .excerpt { color: var(--muted); unicode-bidi: isolate; }
        .note, .empty { color: var(--muted); font-size: 14px; margin: 4px 0 10px; }
        .item { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 0 0 12px;
          break-inside: avoid; }
        .item-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; margin-bottom: 8px; }
        .item-head .where, .item-head .campaign { color: var(--muted); font-size: 13px; }
        .item-head .score { margin-left: auto; font-variant-numeric: tabular-nums; color: var(--muted); }
        .badge { font-size: 12px; font-weight: 600; border-radius: 999px; padding: 1px 9px; background: var(--soft); }
        .badge.allow { background: #dcf2e4; color: #1d6b3d; }
        .badge.review { background: #fcefc7; color: #7a5400; }
        .badge.block { background: #f9dcdc; color: #9b2525; }
        .badge.priority-urgent { background: #9b2525; color: #fff; }
        .badge.priority-high { background: #f3d6c4; color: #8a3b0c; }
        .text { white-space: pre-wrap; overflow-wrap: anywhere; unicode-bidi: isolate; background: var(--soft);
          border-radius: 6px; padding: 10px 12px; }
        mark { background: #ffe27a; color: inherit; border-radius: 2px; box-shadow: inset 0 -2px 0 #d9a400; }
        mark.overlap { background: #ffbf70; box-shadow: inset 0 -2px 0 #d9730d; }
        .cp { font: 11px ui-monospace, Menlo, Consolas, monospace; color: #9b2525; border: 1px solid #e7b9b9;
          border-radius: 3px; padding: 0 2px; margin: 0 1px; }
        .cut { color: var(--muted); font-style: italic; }
        .findings { margin: 8px 0 0; padding-left: 20px; font-size: 14px; }
        .findings .category, .findings .position { color: var(--muted); }
        .findings q { unicode-bidi: isolate; }
        footer { margin-top: 40px; padding-top: 12px; border-top: 1px solid var(--line); color: var(--muted);
          font-size: 13px; }
        @media (max-width: 760px) { .tiles { grid-template-columns: repeat(2, 1fr); } .pair { display: block; } }
        @media print {
          body { max-width: none; padding: 0; font-size: 12px; }
          * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
          section, table, .item, .chart { break-inside: avoid; }
          h2 { break-after: avoid; }
        }
        """
}
