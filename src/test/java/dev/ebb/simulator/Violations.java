package dev.ebb.simulator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects member-constraint violations and reports them the way SageMaker's front end does: "2
 * validation errors detected: Value null at 'endpointName' failed to satisfy constraint: Member
 * must not be null; ...". Paths use lowerCamelCase members and 1-based list indexes
 * ('productionVariants.1.member.instanceType').
 */
final class Violations {
  private final List<String> messages = new ArrayList<>();

  void nullValue(String path) {
    add(null, path, "Member must not be null");
  }

  void pattern(String path, String value, Pattern pattern) {
    if (!pattern.matcher(value).matches()) {
      add(value, path, "Member must satisfy regular expression pattern: " + pattern.pattern());
    }
  }

  void maxLength(String path, String value, int max) {
    if (value.length() > max) {
      add(value, path, "Member must have length less than or equal to " + max);
    }
  }

  void minLength(String path, String value, int min) {
    if (value.length() < min) {
      add(value, path, "Member must have length greater than or equal to " + min);
    }
  }

  void min(String path, Number value, Number min) {
    if (value.doubleValue() < min.doubleValue()) {
      add(value, path, "Member must have value greater than or equal to " + min);
    }
  }

  void max(String path, Number value, Number max) {
    if (value.doubleValue() > max.doubleValue()) {
      add(value, path, "Member must have value less than or equal to " + max);
    }
  }

  void enumValue(String path, String value, Collection<String> allowed) {
    if (!allowed.contains(value)) {
      add(value, path, "Member must satisfy enum value set: " + allowed);
    }
  }

  void maxSize(String path, int size, int max, Object shown) {
    if (size > max) {
      add(shown, path, "Member must have length less than or equal to " + max);
    }
  }

  void minSize(String path, int size, int min, Object shown) {
    if (size < min) {
      add(shown, path, "Member must have length greater than or equal to " + min);
    }
  }

  private void add(Object value, String path, String constraint) {
    String shown = value == null ? "null" : "'" + value + "'";
    messages.add(
        "Value " + shown + " at '" + path + "' failed to satisfy constraint: " + constraint);
  }

  boolean isEmpty() {
    return messages.isEmpty();
  }

  void throwIfAny() {
    if (!messages.isEmpty()) {
      throw AwsError.validation("%s", summary());
    }
  }

  /** The same report in SageMaker Runtime's error code (restJson1 ValidationError). */
  void throwIfAnyAsValidationError() {
    if (!messages.isEmpty()) {
      throw AwsError.validationError("%s", summary());
    }
  }

  private String summary() {
    int n = messages.size();
    return n
        + " validation error"
        + (n == 1 ? "" : "s")
        + " detected: "
        + String.join("; ", messages);
  }
}
