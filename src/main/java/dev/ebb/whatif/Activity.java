package dev.ebb.whatif;

import java.time.Instant;

/** A capacity change the simulated engine made, with its reason as the operator would record it. */
public record Activity(Instant time, int from, int to, String reason, String trigger) {}
