// The measuring half of the report's layout test. The report allows no scripts, so a
// harness page frames it in an <iframe> of a fixed width and runs this script: after the
// load event it measures the framed page from outside and writes the figures as JSON
// into <pre id="layout">, which the test reads from Chromium's --dump-dom. Reaching
// into a file:// frame needs --allow-file-access-from-files.
(function () {
  const out = document.getElementById('layout');
  const minTextPx = parseFloat(out.dataset.minTextPx);
  const kept = 12;

  function round(v) {
    return Math.round(v * 100) / 100;
  }
  function rect(r) {
    return [r.left, r.top, r.width, r.height].map(round);
  }
  function describe(e, extra) {
    const cls = e.getAttribute('class') || '';
    const text = (e.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60);
    const tag = e.tagName.toLowerCase();
    return Object.assign({ tag, class: cls, text, rect: rect(e.getBoundingClientRect()) }, extra);
  }
  function name(e) {
    const cls = e.getAttribute('class');
    return e.tagName.toLowerCase() + (cls ? '.' + cls.trim().split(/\s+/).join('.') : '');
  }
  // whether a box hides what passes its edges, across and down
  function clipping(w, e) {
    const s = w.getComputedStyle(e);
    return { x: s.overflowX !== 'visible', y: s.overflowY !== 'visible' };
  }

  function measure(frame) {
    const w = frame.contentWindow;
    const d = frame.contentDocument;
    const root = d.documentElement;
    const viewport = root.clientWidth;
    const navigation = w.performance.getEntriesByType('navigation')[0];
    const res = {
      viewport,
      document_width: Math.max(root.scrollWidth, d.body.scrollWidth),
      elements: d.getElementsByTagName('*').length,
      load_ms: navigation ? Math.round(navigation.loadEventStart) : -1,
      overflowing: [],
      overflowing_count: 0,
      verdicts: 0,
      hidden_verdicts: [],
      hidden_verdict_count: 0,
      texts: 0,
      unrendered_texts: 0,
      smallest_text_px: null,
      small_texts: [],
      small_text_count: 0,
    };
    const all = d.body.getElementsByTagName('*');
    // every scroll box at its start
    for (const e of all) {
      if (e.scrollLeft) e.scrollLeft = 0;
      if (e.scrollTop) e.scrollTop = 0;
    }

    // what widens the page: boxes past the right edge that no clipping box holds
    for (const e of all) {
      const r = e.getBoundingClientRect();
      if ((r.width === 0 && r.height === 0) || r.right <= viewport + 0.5) continue;
      let held = false;
      for (let a = e.parentElement; a && a !== d.body; a = a.parentElement) {
        if (clipping(w, a).x) {
          held = true;
          break;
        }
      }
      if (held) continue;
      res.overflowing_count++;
      if (res.overflowing.length < kept) res.overflowing.push(describe(e));
    }

    // every verdict: a size, inside every clipping box at scroll 0, inside the viewport
    for (const e of d.querySelectorAll('.badge, td.mark')) {
      res.verdicts++;
      const r = e.getBoundingClientRect();
      let reason = null;
      if (r.width === 0 || r.height === 0) reason = 'no size';
      for (let a = e.parentElement; !reason && a && a !== d.body; a = a.parentElement) {
        const c = clipping(w, a);
        if (!c.x && !c.y) continue;
        const ar = a.getBoundingClientRect();
        const left = ar.left + a.clientLeft;
        const top = ar.top + a.clientTop;
        const across = c.x && (r.left < left - 0.5 || r.right > left + a.clientWidth + 0.5);
        const down = c.y && (r.top < top - 0.5 || r.bottom > top + a.clientHeight + 0.5);
        if (across || down) {
          const seen = rect({ left, top, width: a.clientWidth, height: a.clientHeight });
          reason = `clipped by ${name(a)} showing [${seen.join(', ')}]`;
        }
      }
      if (!reason && (r.left < -0.5 || r.right > viewport + 0.5)) reason = 'outside the viewport';
      if (reason) {
        res.hidden_verdict_count++;
        if (res.hidden_verdicts.length < kept) res.hidden_verdicts.push(describe(e, { reason }));
      }
    }

    // graph text at the size it is drawn: its font size times the scale to the screen
    for (const e of d.querySelectorAll('svg text')) {
      res.texts++;
      const m = e.getScreenCTM();
      const r = e.getBoundingClientRect();
      if (!m || (r.width === 0 && r.height === 0)) {
        res.unrendered_texts++;
        continue;
      }
      const font_size = parseFloat(w.getComputedStyle(e).fontSize);
      const scale = Math.min(Math.hypot(m.a, m.b), Math.hypot(m.c, m.d));
      const px = font_size * scale;
      if (res.smallest_text_px === null || px < res.smallest_text_px) res.smallest_text_px = round(px);
      if (px < minTextPx) {
        res.small_text_count++;
        if (res.small_texts.length < kept) {
          res.small_texts.push(describe(e, { font_size, scale: round(scale), px: round(px) }));
        }
      }
    }
    return res;
  }

  window.addEventListener('load', function () {
    let result;
    try {
      result = { frames: [...document.querySelectorAll('iframe')].map(measure) };
    } catch (e) {
      result = { error: String(e) };
    }
    // characters the DOM dump would write as entities are written as JSON escapes
    out.textContent = JSON.stringify(result).replace(
      /[<>&\u00a0]/g,
      (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
    );
  });
})();
