package dev.ebb.api.v1alpha1;

/**
 * Regular expressions and CEL fragments shared by the schema annotations. They are compile-time
 * constants so they can appear in annotation values; each mirrors a constraint SageMaker, IAM, S3,
 * SNS, CloudWatch or Application Auto Scaling enforces, so that a mistake is rejected by the API
 * server at {@code kubectl apply} instead of by AWS minutes later. Patterns are RE2 (the API
 * server's regex engine): no look-around.
 */
public final class Validation {
  private Validation() {}

  /** SageMaker names (endpoints, variants, components): alphanumerics and hyphens, at most 63. */
  public static final String SAGEMAKER_NAME = "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$";

  /** An S3 URI: {@code s3://bucket[/key-or-prefix]}, bucket named by S3's rules. */
  public static final String S3_URI = "^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$";

  /** An IAM role ARN in any partition. */
  public static final String IAM_ROLE_ARN =
      "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[a-zA-Z0-9+=,.@_/-]{1,512}$";

  /** An SNS topic ARN in any partition. */
  public static final String SNS_TOPIC_ARN =
      "^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[a-zA-Z0-9_-]{1,256}$";

  /** An AWS region code such as us-east-1, eu-central-1 or us-gov-west-1. */
  public static final String AWS_REGION = "^[a-z]{2}(-[a-z]+)+-[0-9]+$";

  /**
   * {@code spec.sagemaker.tags} keys (CEL over the map): SageMaker's 1 to 128 characters, and not
   * the prefixes AWS (aws:) and Ebb (ebb.dev/, its ownership tags) reserve.
   */
  public static final String TAG_KEYS =
      "self.all(k, size(k) >= 1 && size(k) <= 128 && !k.startsWith('aws:') &&"
          + " !k.startsWith('ebb.dev/'))";

  public static final String TAG_KEYS_MESSAGE =
      "spec.sagemaker.tags keys must be 1 to 128 characters and must not start with aws: or"
          + " ebb.dev/";

  /** {@code spec.sagemaker.tags} values: SageMaker's at most 256 characters. */
  public static final String TAG_VALUES = "self.all(k, size(self[k]) <= 256)";

  public static final String TAG_VALUES_MESSAGE =
      "spec.sagemaker.tags values must be at most 256 characters";

  /** A container image reference: any non-empty string without whitespace. */
  public static final String IMAGE = "^[^\\s]+$";

  /** A Kubernetes object name (RFC 1123 subdomain). */
  public static final String K8S_NAME =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** CloudWatch metric namespace, e.g. AWS/SageMaker. */
  public static final String METRIC_NAMESPACE = "^[^:].{0,254}$";

  /** An RFC 3339 timestamp, e.g. 2026-11-29T00:00:00Z. */
  public static final String RFC3339 =
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$";

  // --- Application Auto Scaling schedule expressions -------------------------------------------
  // cron(Minutes Hours Day-of-month Month Day-of-week Year), AWS syntax: six fields, one of
  // day-of-month / day-of-week must be '?'.
  private static final String MINUTE = "([0-5]?[0-9])";
  private static final String HOUR = "([01]?[0-9]|2[0-3])";
  private static final String DOM = "([1-9]|[12][0-9]|3[01])";
  private static final String MONTH =
      "([1-9]|1[0-2]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)";
  private static final String DOW = "([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)";
  private static final String YEAR = "(19[7-9][0-9]|2[0-1][0-9][0-9])";

  private static final String INC = "(/[0-9]{1,4})?";

  private static final String MINUTES_FIELD =
      "(\\*" + INC + "|" + MINUTE + "(-" + MINUTE + ")?" + INC + ")(," + MINUTE + "(-" + MINUTE
          + ")?" + INC + ")*";
  private static final String HOURS_FIELD =
      "(\\*" + INC + "|" + HOUR + "(-" + HOUR + ")?" + INC + ")(," + HOUR + "(-" + HOUR + ")?" + INC
          + ")*";
  private static final String DOM_FIELD =
      "(\\?|L|LW|"
          + DOM
          + "W|\\*"
          + INC
          + "|"
          + DOM
          + "(-"
          + DOM
          + ")?"
          + INC
          + "(,"
          + DOM
          + "(-"
          + DOM
          + ")?"
          + INC
          + ")*)";
  private static final String MONTH_FIELD =
      "(\\*" + INC + "|" + MONTH + "(-" + MONTH + ")?" + INC + ")(," + MONTH + "(-" + MONTH + ")?"
          + INC + ")*";
  private static final String DOW_FIELD =
      "(\\?|\\*|"
          + DOW
          + "L|"
          + DOW
          + "#[1-5]|"
          + DOW
          + "(-"
          + DOW
          + ")?(,"
          + DOW
          + "(-"
          + DOW
          + ")?)*)";
  private static final String YEAR_FIELD =
      "(\\*" + INC + "|" + YEAR + "(-" + YEAR + ")?" + INC + ")(," + YEAR + "(-" + YEAR + ")?" + INC
          + ")*";

  /** AWS six-field cron, e.g. {@code 0 18 ? * FRI *}. */
  public static final String CRON =
      "^"
          + MINUTES_FIELD
          + " "
          + HOURS_FIELD
          + " "
          + DOM_FIELD
          + " "
          + MONTH_FIELD
          + " "
          + DOW_FIELD
          + " "
          + YEAR_FIELD
          + "$";

  /** A rate such as {@code 1 hour} or {@code 5 minutes} (AWS requires the singular for 1). */
  public static final String RATE =
      "^(1 (minute|hour|day)|([2-9]|[1-9][0-9]+) (minutes|hours|days))$";

  /**
   * A one-time schedule, local date-time in the schedule's time zone: {@code 2026-12-24T18:00:00}.
   */
  public static final String AT =
      "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$";

  /** The form of an IANA time zone name: UTC, or Area/Location[/Sub]. */
  public static final String TIME_ZONE_FORM =
      "^(UTC|GMT|[A-Z][A-Za-z_-]+(/[A-Z0-9][A-Za-z0-9_+-]+){1,2})$";
}
