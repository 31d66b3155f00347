package dev.ebb.simulator;

import java.time.Instant;
import java.util.Map;

/**
 * A message published to a simulated SNS topic, by a client's Publish or by SageMaker itself (the
 * notifications of asynchronous inference).
 *
 * @param topicArn the topic it was published to
 * @param messageId the MessageId Publish answered
 * @param subject the Subject, or null
 * @param message the Message as published
 * @param attributes the MessageAttributes, each as its StringValue (BinaryValue as its base64)
 * @param time the simulator clock when it was published
 */
public record Published(
    String topicArn,
    String messageId,
    String subject,
    String message,
    Map<String, String> attributes,
    Instant time) {}
