package dev.ebb.simulator;

import java.util.List;

/**
 * The simulator's SNS, for tests: create topics without a client and read what was published to
 * them, by clients or by SageMaker's asynchronous inference notifications. Every method first
 * brings the simulator up to its clock, so queued InvokeEndpointAsync work that can run has run.
 */
public final class SimulatedSns {
  private final Dispatcher dispatcher;
  private final String account;

  SimulatedSns(Dispatcher dispatcher, String account) {
    this.dispatcher = dispatcher;
    this.account = account;
  }

  /** Creates a topic in us-east-1 (idempotent) and returns its ARN. */
  public String createTopic(String name) {
    return createTopic(WireProtocol.DEFAULT_REGION, name);
  }

  /** Creates a topic (idempotent) and returns its ARN, {@code arn:aws:sns:region:account:name}. */
  public String createTopic(String region, String name) {
    return dispatcher.inspect(r -> r.sns.create(region, account, name).arn);
  }

  public boolean topicExists(String topicArn) {
    return dispatcher.inspect(r -> r.sns.topic(topicArn) != null);
  }

  /** The messages published to a topic, oldest first; empty for an unknown topic. */
  public List<Published> published(String topicArn) {
    return dispatcher.inspect(
        r -> {
          SnsStore.Topic topic = r.sns.topic(topicArn);
          return topic == null ? List.<Published>of() : List.copyOf(topic.published);
        });
  }
}
