extension HTMLShiftExport {
    /// The page's CSS: the scan report's look, cards that print one per block, and the masking toggle.
    ///
    /// It holds no `<` or `&`, so the page stays well-formed XML without a CDATA section.
    static let stylesheet = """
        :root { color-scheme: light; --ink: #1c2331; --muted: #5d6678; --line: #dde2ea; --soft: #f5f7fa; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 1000px; padding: 28px 28px 48px; color: var(--ink); background: #fff;
          font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        h1 { font-size: 26px; margin: 0; letter-spacing: -0.01em; }
        code, .where { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
        .range { color: var(--muted); margin: 4px 0 8px; }
        .late { color: #9b2525; font-weight: 600; }
        .note, .empty { color: var(--muted); font-size: 14px; margin: 0 0 20px; }
        .item { border: 1px solid var(--line); border-left: 5px solid var(--line); border-radius: 8px;
          padding: 12px 16px; margin: 0 0 14px; break-inside: avoid; }
        .item.overdue { border-left-color: #d64545; }
        .item-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; }
        .item-head .queue { font-weight: 600; }
        .item-head .due { color: var(--muted); font-size: 14px; }
        .item-head .due.late { color: #9b2525; }
        .item-head .score { margin-left: auto; font-variant-numeric: tabular-nums; color: var(--muted); }
        .facts { display: flex; flex-wrap: wrap; gap: 2px 18px; color: var(--muted); font-size: 13px;
          margin: 4px 0 8px; overflow-wrap: anywhere; }
        .badge { font-size: 12px; font-weight: 600; border-radius: 999px; padding: 1px 9px; background: var(--soft); }
        .badge.review { background: #fcefc7; color: #7a5400; }
        .badge.block { background: #f9dcdc; color: #9b2525; }
        .badge.status { background: #dcf2e4; color: #1d6b3d; }
        .badge.priority-urgent { background: #9b2525; color: #fff; }
        .badge.priority-high { background: #f3d6c4; color: #8a3b0c; }
        .badge.priority-normal { background: #e3ebf7; color: #2b4c7e; }
        .text { white-space: pre-wrap; overflow-wrap: anywhere; unicode-bidi: isolate; background: var(--soft);
          border-radius: 6px; padding: 10px 12px; }
        .text.empty-text { color: var(--muted); font-style: italic; }
        mark { background: #ffe27a; color: inherit; border-radius: 2px; box-shadow: inset 0 -2px 0 #d9a400; }
        mark.overlap { background: #ffbf70; box-shadow: inset 0 -2px 0 #d9730d; }
        .cp { font: 11px ui-monospace, Menlo, Consolas, monospace; color: #9b2525; border: 1px solid #e7b9b9;
          border-radius: 3px; padding: 0 2px; margin: 0 1px; }
        .mask { position: relative; cursor: pointer; }
        .mask input { position: absolute; opacity: 0; width: 1px; height: 1px; margin: 0; pointer-events: none; }
        .mask .masked { background: #3a4150; color: transparent; border-radius: 3px; padding: 0 3px;
          user-select: none; }
        .mask .masked::before { content: "\\1F441  " attr(data-hint); color: #fff; font-size: 12px;
          font-weight: 600; white-space: nowrap; }
        .mask .masked mark, .mask .masked q, .mask .masked .cp { background: none; box-shadow: none; color: transparent;
          border-color: transparent; }
        .mask input:checked + .masked { background: none; color: inherit; user-select: auto; padding: 0; }
        .mask input:checked + .masked::before { content: none; }
        .mask input:checked + .masked mark { background: #ffe27a; box-shadow: inset 0 -2px 0 #d9a400; color: inherit; }
        .mask input:checked + .masked mark.overlap { background: #ffbf70; box-shadow: inset 0 -2px 0 #d9730d; }
        .mask input:checked + .masked q, .mask input:checked + .masked .cp { color: inherit; }
        .mask input:checked + .masked .cp { color: #9b2525; border-color: #e7b9b9; }
        .mask input:focus-visible + .masked { outline: 2px solid #4a78c9; outline-offset: 1px; }
        .findings, .decisions { margin: 8px 0 0; padding-left: 20px; font-size: 14px; }
        .findings .category, .findings .position { color: var(--muted); }
        .findings q { unicode-bidi: isolate; }
        .decisions { color: var(--muted); }
        footer { margin-top: 36px; padding-top: 12px; border-top: 1px solid var(--line); color: var(--muted);
          font-size: 13px; }
        @media print {
          body { max-width: none; padding: 0; font-size: 12px; }
          * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
        }
        """
}
