// The health trend as inline SVG: one line over 0-100, gridlines, and event markers with hover titles.

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function dayNumber(day) {
  return Date.parse(`${day}T00:00:00Z`) / 86_400_000;
}

/**
 * points: [{day: "YYYY-MM-DD", score, status}], events: [{day, kind, description}].
 * Returns an <svg> element; every label is set with textContent, so names cannot inject markup.
 */
export function healthChart(points, events = [], { width = 520, height = 200, label = "Health trend" } = {}) {
  const pad = { left: 34, right: 12, top: 12, bottom: 26 };
  const chart = svg("svg", {
    viewBox: `0 0 ${width} ${height}`, class: "health-chart", role: "img", "aria-label": label,
  });
  chart.append(svg("title", {}, label));
  if (!points.length) {
    chart.append(svg("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "chart-empty" }, "No scores yet"));
    return chart;
  }
  const first = dayNumber(points[0].day);
  const last = Math.max(dayNumber(points[points.length - 1].day), first + 1);
  const x = (day) => pad.left + ((dayNumber(day) - first) / (last - first)) * (width - pad.left - pad.right);
  const y = (score) => pad.top + (1 - score / 100) * (height - pad.top - pad.bottom);
  for (const level of [0, 25, 50, 75, 100]) {
    chart.append(svg("line", { x1: pad.left, x2: width - pad.right, y1: y(level), y2: y(level), class: "chart-grid" }));
    chart.append(svg("text", { x: pad.left - 6, y: y(level) + 4, "text-anchor": "end", class: "chart-axis" }, level));
  }
  for (const event of events) {
    if (dayNumber(event.day) < first || dayNumber(event.day) > last) continue;
    const marker = svg("g", { class: `chart-event event-${String(event.kind).toLowerCase()}` });
    marker.append(svg("line", { x1: x(event.day), x2: x(event.day), y1: pad.top, y2: height - pad.bottom }));
    marker.append(svg("circle", { cx: x(event.day), cy: pad.top + 4, r: 4 }));
    marker.append(svg("title", {}, `${event.day}: ${event.description}`));
    chart.append(marker);
  }
  const line = points.map((point) => `${x(point.day).toFixed(1)},${y(point.score).toFixed(1)}`).join(" ");
  chart.append(svg("polyline", { points: line, class: "chart-line" }));
  for (const point of points) {
    const dot = svg("circle", {
      cx: x(point.day), cy: y(point.score), r: 2.5, class: `chart-dot status-${String(point.status).toLowerCase()}`,
    });
    dot.append(svg("title", {}, `${point.day}: ${point.score} (${String(point.status).toLowerCase().replace("_", " ")})`));
    chart.append(dot);
  }
  const bottom = height - 8;
  chart.append(svg("text", { x: pad.left, y: bottom, class: "chart-axis" }, points[0].day));
  chart.append(svg("text", { x: width - pad.right, y: bottom, "text-anchor": "end", class: "chart-axis" },
    points[points.length - 1].day));
  return chart;
}
