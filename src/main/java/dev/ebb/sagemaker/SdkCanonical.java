package dev.ebb.sagemaker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * A canonical form of an AWS SDK request, read through the SDK's own field metadata (the members of
 * AWS's service model, by their wire names): what is sent, every member of it, in a fixed order.
 * Hashing it names content-addressed resources, so a member Ebb starts sending changes the name
 * without anyone having to remember to add it to a hand-picked list.
 */
final class SdkCanonical {
  private SdkCanonical() {}

  static String json(SdkPojo pojo) {
    return Canonical.json(tree(pojo));
  }

  /** Members by wire name, unset ones left out (so a new optional member renames nothing). */
  private static Object tree(Object value) {
    if (value instanceof SdkPojo pojo) {
      Map<String, Object> members = new TreeMap<>();
      for (SdkField<?> field : pojo.sdkFields()) {
        Object member = field.getValueOrDefault(pojo);
        if (member != null) {
          members.put(field.locationName(), tree(member));
        }
      }
      return members;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> entries = new TreeMap<>();
      map.forEach((k, v) -> entries.put(String.valueOf(k), tree(v)));
      return entries;
    }
    if (value instanceof Collection<?> list) {
      List<Object> items = new ArrayList<>();
      list.forEach(item -> items.add(tree(item)));
      return items;
    }
    return value;
  }
}
