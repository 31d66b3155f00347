package dev.ebb.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SNS's state: topics by ARN, each with the messages published to it. Keyed by ARN, which names the
 * region and account, so one store serves every region. Guarded by the simulator's lock.
 */
final class SnsStore {
  static final class Topic {
    final String arn;
    final String name;
    final String region;
    final List<Published> published = new ArrayList<>();

    Topic(String arn, String name, String region) {
      this.arn = arn;
      this.name = name;
      this.region = region;
    }
  }

  private final Map<String, Topic> topics = new LinkedHashMap<>();

  static String arn(String region, String account, String name) {
    return "arn:aws:sns:" + region + ":" + account + ":" + name;
  }

  Topic topic(String arn) {
    return arn == null ? null : topics.get(arn);
  }

  /** CreateTopic is idempotent: the same name in the same region is the same topic. */
  Topic create(String region, String account, String name) {
    return topics.computeIfAbsent(arn(region, account, name), arn -> new Topic(arn, name, region));
  }

  void delete(String arn) {
    topics.remove(arn);
  }

  Map<String, Topic> all() {
    return topics;
  }

  void clear() {
    topics.clear();
  }
}
