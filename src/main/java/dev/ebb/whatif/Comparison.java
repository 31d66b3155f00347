package dev.ebb.whatif;

import java.util.List;

/**
 * Several policies replayed against one trace: what the report shows side by side.
 *
 * @param priceSource where the price of a copy-hour comes from ("none" without one)
 */
public record Comparison(
    Trace trace,
    ColdStartModel coldStart,
    String priceSource,
    List<PlaneRun> runs,
    List<Summary> summaries) {}
