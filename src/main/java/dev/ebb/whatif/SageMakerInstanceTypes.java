package dev.ebb.whatif;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What what-if assumes of a SageMaker instance type when the user does not say: its accelerators,
 * its on-demand price for real-time inference, and how long a copy takes to serve on a new one.
 * Every number has its source here; all are overridable ({@code --instance-hour-price}, {@code
 * --copies-per-instance}, {@code --cold-start}).
 *
 * <p><b>Prices</b>: USD per instance-hour, SageMaker AI real-time inference (hosting), on demand,
 * from AWS's own benchmarking tool, aws-samples/foundation-model-benchmarking-tool, file {@code
 * fmbench/configs/pricing.yml} ("SageMaker Hourly Instance Pricing"), as of commit {@code d8814208}
 * (2025-01-26). The file states no region; its values are US East (N. Virginia)'s list prices,
 * which third-party readings of AWS's Price List API ({@code USE1-Host:<type>}) in 2026 repeat for
 * the g5, g6 and m5 rows. AWS's pricing page could not be read here. The file's p4d and p5 prices
 * predate AWS's mid-2025 price cut for those instances and are left out.
 *
 * <p><b>Accelerators</b>: GPUs (Inferentia2 devices for inf2) per instance, from Amazon EC2's
 * instance type pages (aws.amazon.com/ec2/instance-types/g4, g5, g6, inf2).
 *
 * <p><b>Cold starts</b>: "Introducing container caching in Amazon SageMaker AI for faster model
 * scaling" (AWS Machine Learning Blog, 2026-06-16), P50 times for a copy placed on a new instance
 * without container caching, end to end (instance provisioning, image pull, model download,
 * container start), as customers measured them: ml.g4dn.xlarge 381 s (15.7 GB image, no model
 * artifact), ml.g5.xlarge 346 s (10.6 GB image, 6.5 GB model), ml.g5.2xlarge 346 s (17.5 GB image,
 * 5.8 GB model); and ml.g6.2xlarge 525 s for Qwen3-8B in the LMI container (17.7 GB image; pull 333
 * s while the model downloaded in 168 s). They depend on the image and the model: measure yours.
 */
final class SageMakerInstanceTypes {
  static final String PRICE_SOURCE =
      "SageMaker real-time inference on demand, us-east-1, from AWS's"
          + " aws-samples/foundation-model-benchmarking-tool pricing.yml (2025-01-26)";

  static final String COLD_START_SOURCE =
      "AWS's measured P50 for a copy on a new %s without container caching (AWS Machine"
          + " Learning Blog, \"Introducing container caching in Amazon SageMaker AI\","
          + " 2026-06-16: %s); yours depends on your image and model";

  /** One instance type: accelerators per instance, USD per hour, cold start if AWS measured one. */
  record InstanceType(
      String name,
      int accelerators,
      double usdPerHour,
      Optional<Duration> coldStart,
      String coldStartBasis) {}

  private static final Map<String, InstanceType> TYPES =
      Map.ofEntries(
          type("ml.m5.xlarge", 0, 0.23),
          type("ml.c5.xlarge", 0, 0.204),
          measured("ml.g4dn.xlarge", 1, 0.7364, 381, "15.7 GB image, no model artifact"),
          measured("ml.g5.xlarge", 1, 1.4084, 346, "10.6 GB image, 6.5 GB model"),
          measured("ml.g5.2xlarge", 1, 1.515, 346, "17.5 GB image, 5.8 GB model"),
          type("ml.g5.12xlarge", 4, 7.09),
          type("ml.g5.48xlarge", 8, 20.36),
          measured("ml.g6.2xlarge", 1, 1.222, 525, "Qwen3-8B, LMI, 17.7 GB image"),
          type("ml.g6.12xlarge", 4, 5.752),
          type("ml.g6.24xlarge", 4, 8.344),
          type("ml.g6.48xlarge", 8, 16.688),
          type("ml.inf2.xlarge", 1, 0.99));

  private SageMakerInstanceTypes() {}

  static Optional<InstanceType> of(String name) {
    return Optional.ofNullable(name).map(TYPES::get);
  }

  /** The instance types with a cold start AWS measured, for messages. */
  static String measuredTypes() {
    return String.join(
        ", ",
        TYPES.values().stream()
            .filter(t -> t.coldStart().isPresent())
            .map(InstanceType::name)
            .sorted()
            .toList());
  }

  private static Map.Entry<String, InstanceType> type(String name, int accelerators, double usd) {
    return Map.entry(name, new InstanceType(name, accelerators, usd, Optional.empty(), ""));
  }

  private static Map.Entry<String, InstanceType> measured(
      String name, int accelerators, double usd, int coldStartSeconds, String basis) {
    return Map.entry(
        name,
        new InstanceType(
            name, accelerators, usd, Optional.of(Duration.ofSeconds(coldStartSeconds)), basis));
  }
}
