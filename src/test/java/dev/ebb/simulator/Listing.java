package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The List* conventions: NameContains, creation/modification time filters, SortBy/SortOrder
 * (default CreationTime, Descending) and MaxResults/NextToken pages (default 10 per page, as
 * SageMaker's).
 */
final class Listing<T extends Stored> {
  private final ObjectNode in;
  private final List<Predicate<T>> filters = new ArrayList<>();
  private final Map<String, Comparator<T>> sortKeys;

  Listing(ObjectNode in, Map<String, Comparator<T>> sortKeys) {
    this.in = in;
    this.sortKeys = sortKeys;
    String contains = Json.text(in, "NameContains");
    if (contains != null) {
      String needle = contains.toLowerCase(Locale.ROOT);
      filters.add(r -> r.name.toLowerCase(Locale.ROOT).contains(needle));
    }
    timeFilter("CreationTimeBefore", r -> r.creationTime, true);
    timeFilter("CreationTimeAfter", r -> r.creationTime, false);
    timeFilter("LastModifiedTimeBefore", r -> r.lastModifiedTime, true);
    timeFilter("LastModifiedTimeAfter", r -> r.lastModifiedTime, false);
  }

  static <T extends Stored> Map<String, Comparator<T>> byNameAndCreation() {
    return Map.of(
        "Name", Comparator.comparing(r -> r.name),
        "CreationTime", Comparator.comparing(r -> r.creationTime));
  }

  /** Keeps only the items for which {@code filter} holds when the member is present. */
  Listing<T> where(String member, Function<String, Predicate<T>> filter) {
    String value = Json.text(in, member);
    if (value != null) {
      filters.add(filter.apply(value));
    }
    return this;
  }

  private void timeFilter(String member, Function<T, Instant> time, boolean before) {
    if (in.hasNonNull(member)) {
      Instant bound = Json.instant(in.get(member));
      filters.add(r -> before ? time.apply(r).isBefore(bound) : time.apply(r).isAfter(bound));
    }
  }

  ObjectNode page(String listMember, Iterable<T> all, Function<T, ObjectNode> summary) {
    List<T> items = new ArrayList<>();
    all.forEach(r -> items.add(r));
    items.removeIf(r -> !filters.stream().allMatch(f -> f.test(r)));
    Comparator<T> order =
        sortKeys.getOrDefault(
            Json.text(in, "SortBy") == null ? "CreationTime" : Json.text(in, "SortBy"),
            sortKeys.get("CreationTime"));
    order = order.thenComparing(r -> r.name);
    items.sort("Ascending".equals(Json.text(in, "SortOrder")) ? order : order.reversed());

    int from = offset(Json.text(in, "NextToken"));
    int max = in.has("MaxResults") ? in.get("MaxResults").asInt() : 10;
    int to = Math.min(items.size(), from + max);
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray(listMember);
    for (T item : items.subList(Math.min(from, items.size()), to)) {
      list.add(summary.apply(item));
    }
    if (to < items.size()) {
      out.put("NextToken", token(to));
    }
    return out;
  }

  /** Tokens are opaque to callers; here they carry the offset of the next page. */
  private static String token(int offset) {
    return Base64.getEncoder()
        .encodeToString(("ebb-sim-page:" + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static int offset(String token) {
    if (token == null || token.isEmpty()) {
      return 0;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
      if (decoded.startsWith("ebb-sim-page:")) {
        return Integer.parseInt(decoded.substring("ebb-sim-page:".length()));
      }
    } catch (IllegalArgumentException e) {
      // an unreadable token is the caller's error, answered below
    }
    throw AwsError.validation("Invalid pagination token: %s", token);
  }
}
