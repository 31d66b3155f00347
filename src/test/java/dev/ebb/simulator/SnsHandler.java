package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The SNS operations the simulator serves (AWS Query protocol): CreateTopic, DeleteTopic and
 * Publish to a topic. Published messages are kept per topic for tests to read; nothing is
 * delivered, as there are no subscriptions.
 */
final class SnsHandler {
  private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");

  /** SNS caps a message at 256 KB. */
  static final int MAX_MESSAGE = 256 * 1024;

  private final SnsStore store;

  SnsHandler(SnsStore store) {
    this.store = store;
  }

  ObjectNode handle(Ctx ctx, String action, ObjectNode in) {
    return switch (action) {
      case "CreateTopic" -> createTopic(ctx, in);
      case "DeleteTopic" -> deleteTopic(ctx, in);
      case "Publish" -> publish(ctx, in);
      default ->
          throw AwsError.of(
              400, "InvalidAction", "The action " + action + " is not valid for this endpoint.");
    };
  }

  private ObjectNode createTopic(Ctx ctx, ObjectNode in) {
    String name = Json.text(in, "Name");
    if (name == null || !TOPIC_NAME.matcher(name).matches()) {
      // FIFO topics (".fifo") are not simulated, so their names are refused too.
      throw invalidParameter("Topic Name");
    }
    return Json.object()
        .put("TopicArn", store.create(ctx.region().name(), ctx.account(), name).arn);
  }

  private ObjectNode deleteTopic(Ctx ctx, ObjectNode in) {
    store.delete(topic(ctx, Json.text(in, "TopicArn")).arn);
    return Json.object();
  }

  private ObjectNode publish(Ctx ctx, ObjectNode in) {
    String arn = Json.text(in, "TopicArn");
    if (arn == null) {
      arn = Json.text(in, "TargetArn");
    }
    if (arn == null) {
      throw AwsError.of(
          400,
          "InvalidParameter",
          "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
    }
    SnsStore.Topic topic = topic(ctx, arn);
    String message = Json.text(in, "Message");
    if (message == null || message.isEmpty()) {
      throw AwsError.of(400, "InvalidParameter", "Invalid parameter: Empty message");
    }
    if (message.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE) {
      throw AwsError.of(400, "InvalidParameter", "Invalid parameter: Message too long");
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (ObjectNode entry : Json.objects(in, "MessageAttributes")) {
      ObjectNode value = Json.child(entry, "Value");
      String text = Json.text(value, "StringValue");
      attributes.put(
          Json.text(entry, "Name"), text != null ? text : Json.text(value, "BinaryValue"));
    }
    String id = publish(topic, Json.text(in, "Subject"), message, attributes, ctx.now());
    return Json.object().put("MessageId", id);
  }

  /** Records a message on a topic; SageMaker's own notifications come through here too. */
  static String publish(
      SnsStore.Topic topic,
      String subject,
      String message,
      Map<String, String> attributes,
      Instant now) {
    String id = UUID.randomUUID().toString();
    Map<String, String> copy = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    topic.published.add(new Published(topic.arn, id, subject, message, copy, now));
    return id;
  }

  /**
   * The topic an ARN names. SNS serves only its own region's topics, and calls a well-formed ARN
   * with no topic behind it NotFound.
   */
  private SnsStore.Topic topic(Ctx ctx, String arn) {
    if (arn == null || !arn.startsWith("arn:aws:sns:")) {
      throw invalidParameter("TopicArn");
    }
    SnsStore.Topic topic = store.topic(arn);
    if (topic == null) {
      throw AwsError.of(404, "NotFound", "Topic does not exist");
    }
    if (!topic.region.equals(ctx.region().name())) {
      throw invalidParameter("TopicArn");
    }
    return topic;
  }

  private static AwsError invalidParameter(String what) {
    return AwsError.of(400, "InvalidParameter", "Invalid parameter: " + what);
  }
}
