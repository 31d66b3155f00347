package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.simulator.model.Botocore;
import dev.ebb.simulator.model.ModelViolations;
import dev.ebb.simulator.model.ModelViolations.Side;
import dev.ebb.simulator.model.QueryInput;
import dev.ebb.simulator.model.RestInput;
import dev.ebb.simulator.model.ServiceModel;
import dev.ebb.simulator.model.ShapeValidator;
import java.util.List;

/**
 * Binds the simulator to AWS's service models (botocore): every request is checked against its
 * operation's input shape before a handler sees it, and refused with the validation error its
 * protocol answers; every answer is checked against the output shape. Both are recorded in {@link
 * ModelViolations}, which fail the test at close unless the test took them. See docs/simulator.md.
 */
final class Contract {
  /** The services whose models bind the simulator, by botocore name. */
  static final List<String> SERVICES =
      List.of(
          "sagemaker", "sagemaker-runtime", "application-autoscaling", "cloudwatch", "s3", "sns");

  /** The services behind {@link Dispatcher#control}; their operation names do not clash. */
  private static final List<String> CONTROL =
      List.of("sagemaker", "application-autoscaling", "cloudwatch");

  private final ModelViolations violations = new ModelViolations();

  ModelViolations violations() {
    return violations;
  }

  /** The control-plane service that has {@code operation}, or null if none models it. */
  static String controlService(String operation) {
    return CONTROL.stream()
        .filter(s -> Botocore.model(s).hasOperation(operation))
        .findFirst()
        .orElse(null);
  }

  /**
   * Checks a request given as JSON in the model's member names (text scalars for the query
   * protocols, as {@link QueryProtocol#parse} reads them); throws the protocol's validation error.
   */
  void request(String service, String operation, JsonNode input) {
    ServiceModel model = Botocore.model(service);
    String shape = model.inputShape(operation);
    if (shape == null) {
      return;
    }
    JsonNode typed = isQuery(service) ? QueryInput.typed(model, shape, input) : input;
    refuseIf(service, operation, ShapeValidator.input(model, shape, typed));
  }

  /** Checks an S3 request, its members gathered from where REST-XML binds them. */
  void request(String operation, RestInput.Message message) {
    ServiceModel model = Botocore.model("s3");
    String shape = model.inputShape(operation);
    if (shape != null) {
      refuseIf(
          "s3",
          operation,
          ShapeValidator.input(model, shape, RestInput.members(model, shape, message)));
    }
  }

  /** Checks an answer; a violation is the simulator's bug, recorded for the test to fail on. */
  void response(String service, String operation, JsonNode output) {
    ServiceModel model = Botocore.model(service);
    String shape = model.outputShape(operation);
    if (shape == null || output == null) {
      return;
    }
    JsonNode typed = isQuery(service) ? QueryInput.typed(model, shape, output) : output;
    List<String> found = ShapeValidator.output(model, shape, typed);
    if (!found.isEmpty()) {
      violations.record(Side.RESPONSE, service, operation, ShapeValidator.summary(found));
    }
  }

  /**
   * Checks an S3 answer: its header members, and the members of its XML body read back with the
   * output shape (an answer whose body is the object itself, a payload, has no XML to read).
   */
  void response(String operation, S3Reply reply) {
    ServiceModel model = Botocore.model("s3");
    String shape = model.outputShape(operation);
    if (shape == null || reply.status() >= 300) {
      return;
    }
    RestInput.Message message =
        new RestInput.Message(java.util.Map.of(), java.util.Map.of(), reply.headers(), null);
    JsonNode members = RestInput.members(model, shape, message);
    boolean xmlBody =
        !model.shape(shape).has("payload") && reply.body() != null && reply.body().length > 0;
    if (xmlBody && members instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
      object.setAll(dev.ebb.simulator.model.RestXmlBody.members(model, shape, reply.body()));
    }
    List<String> found = ShapeValidator.output(model, shape, members);
    if (!found.isEmpty()) {
      violations.record(Side.RESPONSE, "s3", operation, ShapeValidator.summary(found));
    }
  }

  private void refuseIf(String service, String operation, List<String> found) {
    if (found.isEmpty()) {
      return;
    }
    String message = ShapeValidator.summary(found);
    violations.record(Side.REQUEST, service, operation, message);
    throw validationError(service, message);
  }

  /**
   * The error each protocol answers for an invalid member: awsJson1_1 services ValidationException;
   * SageMaker Runtime its modelled ValidationError; the query services ValidationError; S3, which
   * has no such front end, InvalidArgument (docs/simulator.md gives the sources).
   */
  static AwsError validationError(String service, String message) {
    return switch (service) {
      case "sagemaker", "application-autoscaling" ->
          AwsError.of(400, "ValidationException", message);
      case "s3" -> AwsError.of(400, "InvalidArgument", message);
      default -> AwsError.of(400, "ValidationError", message);
    };
  }

  private static boolean isQuery(String service) {
    return service.equals("cloudwatch") || service.equals("sns");
  }

  /** InvokeEndpoint(WithResponseStream)'s members, from the request the runtime protocol read. */
  static ObjectNode members(Invocation in) {
    ObjectNode out = Json.object().put("EndpointName", in.endpointName());
    putIfSet(out, "ContentType", in.contentType());
    putIfSet(out, "Accept", in.accept());
    putIfSet(out, "InferenceComponentName", in.inferenceComponent());
    putIfSet(out, "TargetVariant", in.targetVariant());
    putIfSet(out, "CustomAttributes", in.customAttributes());
    out.set("Body", Json.MAPPER.getNodeFactory().binaryNode(in.body()));
    return out;
  }

  /**
   * What InvokeEndpoint answers, by member. A stream's Body is a union of events: the simulator
   * sends the answer as PayloadPart events, so it is checked as one (the event a member of the
   * union, its Bytes a blob the model allows).
   */
  static ObjectNode members(Invocation.Reply reply, boolean stream) {
    ObjectNode out = Json.object();
    if (stream) {
      out.putObject("Body")
          .putObject("PayloadPart")
          .set("Bytes", Json.MAPPER.getNodeFactory().binaryNode(reply.body()));
    } else {
      out.set("Body", Json.MAPPER.getNodeFactory().binaryNode(reply.body()));
    }
    putIfSet(out, "ContentType", reply.contentType());
    putIfSet(out, "InvokedProductionVariant", reply.invokedVariant());
    putIfSet(out, "CustomAttributes", reply.customAttributes());
    return out;
  }

  /** InvokeEndpointAsync's members; numbers arrive as header text and are typed by the model. */
  static ObjectNode members(AsyncRequest in) {
    ObjectNode out = Json.object();
    in.toJson()
        .fields()
        .forEachRemaining(
            f -> {
              if (!f.getValue().isNull()) {
                out.set(f.getKey(), f.getValue());
              }
            });
    return (ObjectNode)
        QueryInput.typed(Botocore.model("sagemaker-runtime"), "InvokeEndpointAsyncInput", out);
  }

  static ObjectNode members(AsyncRequest.Accepted accepted) {
    ObjectNode out = Json.object().put("InferenceId", accepted.inferenceId());
    putIfSet(out, "OutputLocation", accepted.outputLocation());
    putIfSet(out, "FailureLocation", accepted.failureLocation());
    return out;
  }

  private static void putIfSet(ObjectNode out, String name, String value) {
    if (value != null) {
      out.put(name, value);
    }
  }
}
