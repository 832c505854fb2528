// chimera's dashboard: polls the master's status, latencies and (for a parameter server or a strategy written with the
// strategy API) training history, and
// draws them with SVG. No library, no build step. Proto3 JSON omits fields at their default and prints 64-bit
// integers as strings, hence the Number(x || 0) below.
(function () {
  'use strict';

  const SVG = 'http://www.w3.org/2000/svg';
  const COLORS = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#ff9da6', '#9d755d'];
  const STATUS_EVERY_MS = 1000;
  const LATENCIES_EVERY_MS = 3000;

  let lastStatus = null;
  let historyShownFor = null;
  let predictBodyEdited = false;

  const $ = (id) => document.getElementById(id);
  const num = (v) => Number(v || 0);

  // A master started with CHIMERA_API_TOKEN takes its token in the page's address: /dashboard#token=<token>.
  // The fragment never leaves the browser; the page sends it as a bearer token with its own calls only.
  const tokenMatch = /(?:^#|&)token=([^&]+)/.exec(location.hash || '');
  const auth = tokenMatch ? { 'Authorization': 'Bearer ' + decodeURIComponent(tokenMatch[1]) } : {};

  async function getJson(path) {
    const res = await fetch(path, { cache: 'no-store', headers: auth });
    const body = await res.text();
    let json = null;
    try { json = body ? JSON.parse(body) : {}; } catch (e) { json = null; }
    if (!res.ok) {
      const message = json && json.message ? json.message : body;
      throw new Error(res.status + ' ' + message);
    }
    return json;
  }

  // ---- formatting ----

  function seconds(s) {
    s = num(s);
    if (s < 1) return (s * 1000).toFixed(1) + ' ms';
    if (s < 120) return s.toFixed(1) + ' s';
    return Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
  }

  function ms(s) { return (num(s) * 1000).toFixed(2); }

  function when(t) {
    if (!t) return 'never';
    const d = new Date(t);
    return d.toLocaleTimeString();
  }

  function el(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function niceTicks(lo, hi, count) {
    if (!(hi > lo)) { hi = lo + 1; }
    const raw = (hi - lo) / count;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    let step = mag;
    for (const m of [1, 2, 2.5, 5, 10]) { step = m * mag; if (step >= raw) break; }
    const ticks = [];
    for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(t);
    return ticks;
  }

  function tickLabel(t) {
    const a = Math.abs(t);
    if (a === 0) return '0';
    if (a >= 1000) return t.toFixed(0);
    if (a >= 10) return t.toFixed(1).replace(/\.0$/, '');
    if (a >= 0.1) return t.toFixed(2).replace(/0$/, '');
    return t.toPrecision(2);
  }

  // ---- charts ----

  function quantile(values, q) {
    const sorted = values.slice().sort((a, b) => a - b);
    const rank = q * (sorted.length - 1), below = Math.floor(rank);
    const above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
  }

  /**
   * Draws series [{name, color, points: [[x, y], ...]}] as lines with axes into svg. With clip, the y axis stops
   * at twice the 98th percentile, so that a few slow first updates (the JIT warming up) do not flatten the rest.
   */
  function lineChart(svg, series, xLabel, clip) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const W = 560, H = 300, L = 54, R = 14, T = 14, B = 38;
    let xs = [], ys = [];
    series.forEach((s) => s.points.forEach((p) => { xs.push(p[0]); ys.push(p[1]); }));
    svg.setAttribute('data-points', String(xs.length));
    if (xs.length === 0) {
      svg.appendChild(el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'empty' },
                         'no data yet: start a fit'));
      return;
    }
    const xLo = Math.min(...xs), xHi = Math.max(...xs, xLo + 1);
    let yLo = Math.min(...ys), yHi = Math.max(...ys);
    let clipped = 0;
    if (clip && ys.length > 10) {
      const cap = 2 * quantile(ys, 0.98);
      if (cap < yHi) { clipped = ys.filter((v) => v > cap).length; yHi = cap; yLo = Math.min(yLo, 0); }
    }
    if (yHi === yLo) { yHi = yLo + Math.max(Math.abs(yLo) * 0.1, 1e-6); yLo -= (yHi - yLo); }
    const pad = (yHi - yLo) * 0.05; yLo -= pad; yHi += pad;
    const x = (v) => L + (v - xLo) / (xHi - xLo) * (W - L - R);
    const y = (v) => T + (yHi - Math.min(v, yHi)) / (yHi - yLo) * (H - T - B);
    niceTicks(yLo, yHi, 5).forEach((t) => {
      svg.appendChild(el('line', { x1: L, x2: W - R, y1: y(t), y2: y(t), class: 'grid' }));
      svg.appendChild(el('text', { x: L - 6, y: y(t) + 4, 'text-anchor': 'end' }, tickLabel(t)));
    });
    niceTicks(xLo, xHi, 6).forEach((t) => {
      svg.appendChild(el('line', { x1: x(t), x2: x(t), y1: H - B, y2: H - B + 4, class: 'axis' }));
      svg.appendChild(el('text', { x: x(t), y: H - B + 16, 'text-anchor': 'middle' }, tickLabel(t)));
    });
    svg.appendChild(el('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, class: 'axis' }));
    svg.appendChild(el('line', { x1: L, x2: L, y1: T, y2: H - B, class: 'axis' }));
    svg.appendChild(el('text', { x: (L + W - R) / 2, y: H - 4, 'text-anchor': 'middle' }, xLabel));
    series.forEach((s, i) => {
      if (s.points.length === 0) return;
      const d = s.points.map((p, j) => (j ? 'L' : 'M') + x(p[0]).toFixed(1) + ' ' + y(p[1]).toFixed(1)).join(' ');
      svg.appendChild(el('path', { d: d, class: 'line', stroke: s.color || COLORS[i % COLORS.length] }));
    });
    if (clipped > 0) {
      svg.appendChild(el('text', { x: L + 6, y: T + 10 }, clipped + (clipped === 1 ? ' point' : ' points')
                                                          + ' above the axis'));
    }
    if (series.length > 1) {
      series.forEach((s, i) => {
        const ly = T + 6 + i * 15;
        svg.appendChild(el('line', { x1: W - R - 110, x2: W - R - 92, y1: ly, y2: ly,
                                     stroke: s.color || COLORS[i % COLORS.length], 'stroke-width': 3 }));
        svg.appendChild(el('text', { x: W - R - 86, y: ly + 4 }, s.name));
      });
    }
  }

  /** Draws one endpoint's histogram with its mean and mean ± std. */
  function histogram(svg, e) {
    const W = 330, H = 150, L = 34, R = 8, T = 8, B = 26;
    const edges = (e.bin_edges || []).map(Number);
    const counts = (e.bin_counts || []).map(Number);
    if (edges.length < 2) return;
    const mean = num(e.mean_seconds), std = num(e.std_seconds);
    // The axis spans the bins; the mean ± std band is clipped to them (outliers inflate the std).
    const lo = edges[0], hi = edges[edges.length - 1];
    const top = Math.max(1, ...counts);
    const x = (v) => L + (v - lo) / ((hi - lo) || 1) * (W - L - R);
    const y = (c) => T + (1 - c / top) * (H - T - B);
    const bandLo = Math.max(lo, mean - std), bandHi = Math.min(hi, mean + std);
    if (bandHi > bandLo) {
      svg.appendChild(el('rect', { x: x(bandLo), y: T, width: x(bandHi) - x(bandLo), height: H - T - B,
                                   class: 'std' }));
    }
    counts.forEach((c, i) => {
      if (!c) return;
      svg.appendChild(el('rect', { x: x(edges[i]), y: y(c), width: Math.max(1, x(edges[i + 1]) - x(edges[i]) - 1),
                                   height: H - B - y(c), class: 'bar' }));
    });
    if (mean <= hi) {
      svg.appendChild(el('line', { x1: x(mean), x2: x(mean), y1: T, y2: H - B, class: 'mean' }));
    }
    svg.appendChild(el('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, class: 'axis' }));
    svg.appendChild(el('text', { x: L - 4, y: T + 8, 'text-anchor': 'end' }, String(top)));
    svg.appendChild(el('text', { x: L - 4, y: H - B, 'text-anchor': 'end' }, '0'));
    niceTicks(lo * 1000, hi * 1000, 4).forEach((t) => {
      svg.appendChild(el('text', { x: x(t / 1000), y: H - B + 14, 'text-anchor': 'middle' }, tickLabel(t)));
    });
    svg.appendChild(el('text', { x: W - R, y: H - 2, 'text-anchor': 'end' }, 'ms'));
  }

  // ---- panels ----

  function renderStatus(s) {
    lastStatus = s;
    $('master-name').textContent = s.master || 'master';
    $('runtime').textContent = s.runtime || '–';
    $('uptime').textContent = seconds(s.uptime_seconds);
    const m = s.model || {};
    const state = m.state || 'unfitted';
    const stateBadge = $('model-state');
    stateBadge.textContent = m.imported ? 'imported' : state;
    stateBadge.className = 'badge ' + state;
    $('strategy').textContent = m.strategy || '–';
    $('fits').textContent = num(m.fits);
    $('fitted-time').textContent = when(m.fitted_time);
    renderProgress(m, state);
    const error = $('model-error');
    error.hidden = !(state === 'failed' && m.error);
    error.textContent = m.error || '';
    // A fit that succeeded but warned (it stopped before it converged, say): shown while its model is in use.
    const warnings = $('model-warnings');
    const warned = (m.warnings || [])
      .concat(m.partial ? ['partial fit: it lost ' + (m.failed_workers || []).join(', ')] : []);
    warnings.hidden = warned.length === 0;
    warnings.textContent = warned.map((w) => '⚠ ' + w).join('\n');
    const options = $('options');
    options.textContent = '';
    Object.keys(m.options || {}).sort().forEach((k) => {
      const dt = document.createElement('dt'); dt.textContent = k;
      const dd = document.createElement('dd'); dd.textContent = m.options[k];
      options.append(dt, dd);
    });
    $('fit-button').disabled = state === 'fitting' || !!m.imported;
    renderWorkers(s.workers || []);
    prefillPredictBody(m);
  }

  function renderProgress(m, state) {
    const p = m.progress;
    const box = $('progress');
    if (!p) { box.hidden = true; return; }
    box.hidden = false;
    let fraction = 0, text = '';
    if (num(p.max_iter) > 0) {
      fraction = num(p.iteration) / num(p.max_iter);
      text = 'update ' + num(p.iteration) + ' / ' + num(p.max_iter);
      if (p.loss !== undefined) text += ' · loss ' + Number(p.loss).toFixed(6);
      if (num(p.iterations_per_second) > 0) text += ' · ' + num(p.iterations_per_second).toFixed(1) + ' it/s';
    } else if (num(p.workers_total) > 0) {
      fraction = num(p.workers_done) / num(p.workers_total);
      text = num(p.workers_done) + ' / ' + num(p.workers_total) + ' workers answered';
    }
    if (state !== 'fitting') fraction = state === 'fitted' ? 1 : fraction;
    text += ' · ' + seconds(p.elapsed_seconds) + (state === 'fitting' ? ' elapsed' : ' in all');
    if (state === 'fitting' && num(p.remaining_seconds) > 0) text += ' · ~' + seconds(p.remaining_seconds) + ' left';
    $('progress-fill').style.width = Math.round(Math.min(1, fraction) * 100) + '%';
    $('progress-text').textContent = text;
  }

  function renderWorkers(workers) {
    const body = document.querySelector('#workers tbody');
    body.textContent = '';
    if (workers.length === 0) {
      const tr = body.insertRow();
      const td = tr.insertCell();
      td.colSpan = 8;
      td.textContent = 'no workers (an imported model)';
      return;
    }
    workers.forEach((w) => {
      const tr = body.insertRow();
      tr.dataset.worker = w.name;
      tr.insertCell().textContent = w.name;
      const address = tr.insertCell(); address.textContent = w.address || ''; address.className = 'mono';
      const container = tr.insertCell();
      container.textContent = w.container_id ? w.container_id.substring(0, 12) : '–';
      container.className = 'mono';
      const health = document.createElement('span');
      health.className = 'badge ' + (w.health || 'unknown');
      health.textContent = w.health || 'unknown';
      tr.insertCell().appendChild(health);
      tr.insertCell().textContent = w.last_endpoint
          ? ms(w.last_latency_seconds) + ' ms ' + w.last_endpoint.replace('/v1/chimera/', '') : '–';
      tr.insertCell().textContent = num(w.calls);
      tr.insertCell().textContent = num(w.failures);
      const error = tr.insertCell();
      error.className = 'error-cell';
      error.textContent = w.last_error || '';
      error.title = w.last_error || '';
    });
  }

  function prefillPredictBody(m) {
    const area = $('predict-body');
    if (predictBodyEdited) return;
    const columns = m.feature_columns || [];
    const body = columns.length > 0
        ? { X_pred_columns: columns, X_pred_rows: [columns.map(() => 0)] }
        : { X_pred_columns: ['<your columns>'], X_pred_rows: [[0]] };
    const text = JSON.stringify(body);
    if (area.value !== text) area.value = text;
  }

  async function refreshHistory() {
    const m = (lastStatus && lastStatus.model) || {};
    // Bagging has no iterations, and an imported model no training: the latencies below tell their story. Every
    // other master (the parameter server, a strategy written with the strategy API) has a history of its updates.
    const training = !!m.strategy && m.strategy !== 'aggregation' && !m.imported;
    $('training-card').hidden = !training;
    if (!training) {
      return;
    }
    const key = m.state + ' ' + num(m.fits);
    if (m.state !== 'fitting' && historyShownFor === key) return;
    const h = await getJson('/v1/chimera/' + m.strategy + '/history');
    historyShownFor = key;
    const iterations = h.iterations || [];
    const bytes = num(h.bytes_sent) + num(h.bytes_received) + num(h.peer_bytes);
    $('history-note').textContent = '(' + [h.loss_function, h.mode, iterations.length + ' updates',
                                           h.stop_reason ? 'stopped by ' + h.stop_reason : '',
                                           bytes > 0 ? bytes.toLocaleString('en') + ' bytes on the wire' : '']
        .filter((part) => part).join(', ') + ')';
    const loss = iterations.filter((r) => r.loss !== undefined).map((r) => [num(r.iteration), Number(r.loss)]);
    lineChart($('loss-chart'), [{ name: 'loss', color: COLORS[0], points: loss }], 'update');
    const perWorker = new Map();
    iterations.forEach((r) => (r.workers || []).forEach((w) => {
      if (!perWorker.has(w.worker)) perWorker.set(w.worker, []);
      perWorker.get(w.worker).push([num(r.iteration), num(w.seconds) * 1000]);
    }));
    const series = [...perWorker.keys()].sort().map((name, i) => ({ name: name, color: COLORS[i % COLORS.length],
                                                                     points: perWorker.get(name) }));
    lineChart($('step-chart'), series, 'update', true);
  }

  async function refreshLatencies() {
    const report = await getJson('/v1/chimera/latencies');
    const box = $('latencies');
    box.textContent = '';
    const endpoints = report.endpoints || [];
    if (endpoints.length === 0) {
      box.textContent = 'no calls yet';
      return;
    }
    endpoints.forEach((e) => {
      const figure = document.createElement('figure');
      const caption = document.createElement('figcaption');
      caption.textContent = e.role + ' ' + e.url;
      const svg = el('svg', { class: 'chart', viewBox: '0 0 330 150' });
      histogram(svg, e);
      const stats = document.createElement('div');
      stats.className = 'stats';
      stats.textContent = 'n = ' + num(e.count) + ' · mean ' + ms(e.mean_seconds) + ' ms · std '
          + ms(e.std_seconds) + ' ms · p50 ' + ms(e.p50_seconds) + ' · p95 ' + ms(e.p95_seconds)
          + ' · p99 ' + ms(e.p99_seconds) + ' ms'
          + (num(e.above) > 0 ? ' · ' + num(e.above) + ' slower (max ' + ms(e.max_seconds) + ' ms) not drawn' : '');
      figure.append(caption, svg, stats);
      box.appendChild(figure);
    });
  }

  // ---- actions ----

  function strategyPath(action) {
    const m = (lastStatus && lastStatus.model) || {};
    return '/v1/chimera/' + (m.strategy || 'aggregation') + '/' + action;
  }

  async function post(path, body) {
    const init = { method: 'POST', headers: Object.assign({}, auth) };
    if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = body; }
    const res = await fetch(path, init);
    return { ok: res.ok, status: res.status, text: await res.text() };
  }

  function showResult(res, what, started) {
    const box = $('action-result');
    box.hidden = false;
    let text = res.text;
    try {
      const json = JSON.parse(res.text);
      text = res.ok ? JSON.stringify(json) : json.message + '  (' + res.status + ' '
          + (json.details ? json.details.errorMessage : '') + ')';
    } catch (e) { /* not JSON: show as is */ }
    box.textContent = text;
    box.className = 'result' + (res.ok ? '' : ' bad');
    $('action-status').textContent = what + ' answered ' + res.status + ' in '
        + seconds((performance.now() - started) / 1000);
  }

  async function fit() {
    $('fit-button').disabled = true;
    $('action-status').textContent = 'fitting…';
    const started = performance.now();
    try {
      showResult(await post(strategyPath('fit')), 'fit', started);
    } catch (e) {
      $('action-status').textContent = 'fit failed: ' + e.message;
    }
    refresh();
  }

  async function predict() {
    const started = performance.now();
    $('action-status').textContent = 'predicting…';
    try {
      showResult(await post(strategyPath('predict'), $('predict-body').value), 'predict', started);
    } catch (e) {
      $('action-status').textContent = 'predict failed: ' + e.message;
    }
  }

  // ---- polling ----

  async function refresh() {
    try {
      renderStatus(await getJson('/v1/chimera/status'));
      $('connection').textContent = 'live';
      $('connection').className = 'badge live';
      await refreshHistory();
    } catch (e) {
      $('connection').textContent = 'master unreachable';
      $('connection').className = 'badge down';
    }
  }

  async function refreshLatenciesQuietly() {
    try { await refreshLatencies(); } catch (e) { /* shown by the status badge */ }
  }

  $('fit-button').addEventListener('click', fit);
  $('predict-button').addEventListener('click', predict);
  $('predict-body').addEventListener('input', () => { predictBodyEdited = true; });
  refresh();
  refreshLatenciesQuietly();
  setInterval(refresh, STATUS_EVERY_MS);
  setInterval(refreshLatenciesQuietly, LATENCIES_EVERY_MS);
}());
