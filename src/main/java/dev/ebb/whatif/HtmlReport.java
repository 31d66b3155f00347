package dev.ebb.whatif;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The comparison as one self-contained HTML file (no network): the summary table, then plots of
 * demand, copies, instances (backend sagemaker), held and failed requests over time and of the wait
 * distribution, drawn by uPlot (MIT, github.com/leeoniya/uPlot, 1.6.32), which is inlined.
 */
public final class HtmlReport {
  /** At most this many points per wait distribution. */
  static final int DISTRIBUTION_POINTS = 400;

  private static final ObjectMapper JSON = new ObjectMapper();

  private HtmlReport() {}

  public static String render(Comparison comparison) {
    return render(comparison, List.of());
  }

  /** The report, with each policy's prediction beside what was measured ({@code --check}). */
  public static String render(Comparison comparison, List<RealityCheck> checks) {
    String data = json(data(comparison)).replace("</", "<\\/");
    return TEMPLATE
        .replace("/*UPLOT_CSS*/", resource("uPlot.min.css"))
        .replace("/*UPLOT_JS*/", resource("uPlot.iife.min.js"))
        .replace("/*DATA*/", data)
        .replace("<!--CONTEXT-->", escape(SummaryTable.context(comparison)).replace("\n", "<br>"))
        .replace("<!--TABLE-->", table(comparison))
        .replace("<!--CHECKS-->", checks(checks));
  }

  private static String checks(List<RealityCheck> checks) {
    StringBuilder html = new StringBuilder();
    for (RealityCheck check : checks) {
      html.append("<h2>Against what happened: ")
          .append(escape(check.label()))
          .append("</h2><table><thead><tr><th></th><th>predicted</th><th>measured</th>")
          .append("<th>error</th></tr></thead><tbody>");
      for (RealityCheck.Measure m : RealityCheck.Measure.values()) {
        RealityCheck.Row row = check.row(m);
        html.append("<tr><td>").append(escape(m.label())).append("</td>");
        for (double v : new double[] {row.predicted(), row.measured(), row.error()}) {
          html.append("<td>").append(escape(RealityCheck.number(v, m.unit))).append("</td>");
        }
        html.append("</tr>");
      }
      html.append("</tbody></table>");
    }
    return html.toString();
  }

  private static Map<String, Object> data(Comparison c) {
    Map<String, Object> d = new LinkedHashMap<>();
    List<Minute> first = c.runs().get(0).timeline();
    d.put("time", first.stream().mapToLong(m -> m.start().getEpochSecond()).toArray());
    d.put("arrivals", first.stream().mapToInt(Minute::arrivals).toArray());
    List<Map<String, Object>> runs = new ArrayList<>();
    for (PlaneRun run : c.runs()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("label", run.label());
      r.put("copies", run.timeline().stream().mapToDouble(m -> round(m.copies())).toArray());
      r.put("ready", run.timeline().stream().mapToDouble(m -> round(m.readyCopies())).toArray());
      r.put(
          "instances",
          run.instances()
              .map(i -> java.util.Arrays.stream(i.perMinute()).map(HtmlReport::round).toArray())
              .orElse(null));
      r.put("held", run.timeline().stream().mapToInt(Minute::maxHeld).toArray());
      r.put("failed", run.timeline().stream().mapToInt(Minute::failed).toArray());
      r.put("waits", distribution(run));
      runs.add(r);
    }
    d.put("runs", runs);
    return d;
  }

  /** The waits of requests that waited, as [seconds, share of them waiting at most that long]. */
  static double[][] distribution(PlaneRun run) {
    double[] waits =
        run.outcomes().stream()
            .filter(o -> !o.failed() && !o.waited().isZero())
            .mapToDouble(o -> LocalPlane.seconds(o.waited()))
            .sorted()
            .toArray();
    int points = Math.min(DISTRIBUTION_POINTS, waits.length);
    double[][] out = new double[2][points];
    for (int i = 0; i < points; i++) {
      int index = (int) Math.round((double) (i + 1) * waits.length / points) - 1;
      out[0][i] = round(waits[index]);
      out[1][i] = round(100.0 * (index + 1) / waits.length);
    }
    return out;
  }

  private static String table(Comparison c) {
    StringBuilder html = new StringBuilder("<table><thead><tr>");
    for (String h : SummaryTable.HEADER) {
      html.append("<th>").append(escape(h)).append("</th>");
    }
    html.append("</tr></thead><tbody>");
    for (Summary s : c.summaries()) {
      html.append("<tr>");
      for (String cell : SummaryTable.row(s)) {
        html.append("<td>").append(escape(cell)).append("</td>");
      }
      html.append("</tr>");
    }
    return html.append("</tbody></table>").toString();
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String TEMPLATE =
      """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8">
      <title>Ebb what-if</title>
      <style>/*UPLOT_CSS*/</style>
      <style>
      body{font:14px system-ui,sans-serif;margin:24px;color:#222;max-width:1280px}
      h1{font-size:20px} h2{font-size:16px;margin-top:28px}
      table{border-collapse:collapse;margin:12px 0} th,td{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}
      th:first-child,td:first-child{text-align:left} .context{color:#555;line-height:1.5}
      .note{color:#666;font-size:12px}
      </style></head><body>
      <h1>Ebb what-if</h1>
      <p class="context"><!--CONTEXT--></p>
      <!--TABLE-->
      <p class="note">cold starts: copies started from zero, the ones users wait on. waited: requests held until a copy was ready.
      Waits are over every request sent (most wait 0). always-on: the run's peak copies, all the time.</p>
      <!--CHECKS-->
      <h2>Demand: requests per minute</h2><div id="demand"></div>
      <h2>Copies (average over each minute; on backend local, what is paid for)</h2><div id="copies"></div>
      <div id="instances-section"><h2>Instances under the copies (backend sagemaker: what SageMaker bills; average over each minute)</h2><div id="instances"></div></div>
      <h2>Requests held waiting for a copy (most at once in each minute)</h2><div id="held"></div>
      <h2>Failed requests per minute</h2><div id="failed"></div>
      <h2>Wait of the requests that waited: share that waited at most x seconds</h2><div id="waits"></div>
      <script>/*UPLOT_JS*/</script>
      <script id="data" type="application/json">/*DATA*/</script>
      <script>
      const d = JSON.parse(document.getElementById('data').textContent);
      const colours = ['#1f77b4','#d62728','#2ca02c','#9467bd','#ff7f0e','#8c564b','#e377c2','#17becf'];
      const width = Math.min(1240, window.innerWidth - 48);
      function timeChart(id, series, stepped) {
        const opts = {width, height: 260, scales: {x: {time: true}},
          series: [{}].concat(series.map((s, i) => ({label: s.label, stroke: colours[i % colours.length], width: 1.5,
            paths: stepped ? uPlot.paths.stepped({align: 1}) : undefined,
            fill: s.fill ? colours[i % colours.length] + '33' : undefined}))),
          axes: [{}, {size: 60}], legend: {live: true}};
        new uPlot(opts, [d.time].concat(series.map(s => s.values)), document.getElementById(id));
      }
      timeChart('demand', [{label: 'requests / min', values: d.arrivals, fill: true}], false);
      timeChart('copies', d.runs.map(r => ({label: r.label, values: r.copies})), false);
      const withInstances = d.runs.filter(r => r.instances);
      if (withInstances.length > 0) {
        timeChart('instances', withInstances.map(r => ({label: r.label, values: r.instances})), false);
      } else {
        document.getElementById('instances-section').remove();
      }
      timeChart('held', d.runs.map(r => ({label: r.label, values: r.held})), false);
      timeChart('failed', d.runs.map(r => ({label: r.label, values: r.failed})), false);
      (function () {
        const runs = d.runs.filter(r => r.waits[0].length > 0);
        const el = document.getElementById('waits');
        if (runs.length === 0) { el.textContent = 'No request waited.'; return; }
        const xs = Array.from(new Set(runs.flatMap(r => r.waits[0]))).sort((a, b) => a - b);
        const data = [xs].concat(runs.map(r => {
          let j = -1;
          return xs.map(x => { while (j + 1 < r.waits[0].length && r.waits[0][j + 1] <= x) j++; return j < 0 ? 0 : r.waits[1][j]; });
        }));
        new uPlot({width, height: 300, scales: {x: {time: false}, y: {range: [0, 100]}},
          series: [{label: 'wait (s)'}].concat(runs.map((r, i) => ({label: r.label, stroke: colours[d.runs.indexOf(r) % colours.length], width: 1.5, paths: uPlot.paths.stepped({align: 1})}))),
          axes: [{label: 'seconds waited'}, {label: '% of requests that waited', size: 60}]}, data, el);
      })();
      </script>
      </body></html>
      """;
}
