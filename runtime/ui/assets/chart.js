// Requests per second and p50/p95/p99 latency over the last minutes, from
// journal entries, drawn on a canvas.

const COLOURS = { rate: "#3b6ea5", p50: "#2e8b57", p95: "#d2691e", p99: "#b22222", grid: "#d0d4da", text: "#333" };

/** The nearest-rank ``p``-th percentile of sorted ``values`` (as the journal's analysis). */
export function percentile(sorted, p) {
  if (!sorted.length) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Entries ({time, duration_ms}) in buckets of ``step`` seconds ending at ``now``. */
export function buckets(entries, now, windowSeconds, step) {
  const count = Math.ceil(windowSeconds / step);
  const start = now - count * step;
  const durations = Array.from({ length: count }, () => []);
  for (const entry of entries) {
    const index = Math.floor((entry.time - start) / step);
    if (index >= 0 && index < count) durations[index].push(entry.duration_ms);
  }
  return durations.map((values, index) => {
    values.sort((a, b) => a - b);
    return {
      start: start + index * step,
      rate: values.length / step,
      count: values.length,
      p50: percentile(values, 50),
      p95: percentile(values, 95),
      p99: percentile(values, 99),
    };
  });
}

function axisMax(values) {
  const top = Math.max(0, ...values.filter((value) => value !== null));
  if (top <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(top));
  for (const factor of [1, 2, 5, 10]) if (top <= factor * magnitude) return factor * magnitude;
  return 10 * magnitude;
}

function panel(context, box, series, maxValue, label, bars) {
  const { x, y, width, height } = box;
  context.strokeStyle = COLOURS.grid;
  context.fillStyle = COLOURS.text;
  context.font = "11px sans-serif";
  context.lineWidth = 1;
  for (let tick = 0; tick <= 4; tick += 1) {
    const ty = y + height - (tick / 4) * height;
    context.beginPath();
    context.moveTo(x, ty + 0.5);
    context.lineTo(x + width, ty + 0.5);
    context.stroke();
    context.fillText(String(+((maxValue * tick) / 4).toPrecision(3)), 4, ty + 4);
  }
  context.fillText(label, x, y - 6);
  for (const { values, colour } of series) {
    const slot = width / values.length;
    context.strokeStyle = colour;
    context.fillStyle = colour;
    context.lineWidth = 2;
    context.beginPath();
    let drawing = false;
    values.forEach((value, index) => {
      if (value === null) {
        drawing = false;
        return;
      }
      const vx = x + index * slot + slot / 2;
      const vy = y + height - (value / maxValue) * height;
      if (bars) context.fillRect(x + index * slot + 1, vy, Math.max(1, slot - 2), y + height - vy);
      else if (drawing) context.lineTo(vx, vy);
      else {
        context.moveTo(vx, vy);
        drawing = true;
      }
      if (!bars) context.fillRect(vx - 2, vy - 2, 4, 4);
    });
    if (!bars) context.stroke();
  }
}

/** Draw ``points`` (from :func:`buckets`) on ``canvas``. */
export function draw(canvas, points) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 720;
  const height = canvas.clientHeight || 340;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = canvas.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  const left = 48;
  const plotWidth = width - left - 12;
  const half = (height - 60) / 2;
  const rates = points.map((point) => point.rate);
  panel(context, { x: left, y: 18, width: plotWidth, height: half }, [{ values: rates, colour: COLOURS.rate }], axisMax(rates), "requests/s", true);
  const latency = ["p50", "p95", "p99"].map((name) => ({ values: points.map((point) => point[name]), colour: COLOURS[name] }));
  const latencyMax = axisMax(latency.flatMap((series) => series.values));
  panel(context, { x: left, y: half + 48, width: plotWidth, height: half }, latency, latencyMax, "latency ms  (p50 green, p95 orange, p99 red)", false);
  const span = points.length && points.length > 1 ? points[points.length - 1].start - points[0].start + (points[1].start - points[0].start) : 0;
  context.fillStyle = COLOURS.text;
  context.fillText(`−${Math.round(span)} s`, left, height - 4);
  context.textAlign = "right";
  context.fillText("now", left + plotWidth, height - 4);
  context.textAlign = "left";
}
