package dev.ebb.simulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every stored SageMaker resource has: identity, times, tags and a transition counter. */
abstract class Stored {
  final String name;
  final String arn;
  final Instant creationTime;
  Instant lastModifiedTime;
  final Map<String, String> tags = new LinkedHashMap<>();

  /**
   * Bumped whenever a new transition starts or the resource goes away, so a transition scheduled
   * earlier (say, Creating to InService) cannot land on a resource that has since been deleted.
   */
  int generation;

  Stored(String name, String arn, Instant now) {
    this.name = name;
    this.arn = arn;
    this.creationTime = now;
    this.lastModifiedTime = now;
  }
}
