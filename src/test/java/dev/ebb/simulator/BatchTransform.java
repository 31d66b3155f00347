package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * Runs batch transform jobs when they are due, lazily like every transition here (the next time the
 * simulator is observed, under its lock): a job InProgress for {@link Delays#transformJob()} runs
 * its transform at that instant and ends Completed or Failed; a job Stopping for {@link
 * Delays#transformStop()} ends Stopped, with nothing stored.
 *
 * <p>The transform, as the developer guide documents batch transform: read every input object
 * (S3Prefix: every key under the prefix; ManifestFile: the manifest's list), decompress Gzip, split
 * it into records ({@link TransformRecords}), filter the records (DataProcessing.InputFilter,
 * {@link TransformDataProcessing}), group them into mini-batches (BatchStrategy, MaxPayloadInMB),
 * POST each to the model container ({@link ModelContainer}) with the input ContentType and the
 * output Accept, join and filter the results (JoinSource, OutputFilter), assemble them
 * (AssembleWith) and store {@code <S3OutputPath>/<key relative to the input prefix>.out} for every
 * object that succeeded. MaxConcurrentTransforms bounds the requests in flight; in simulated time
 * the simulator sends them one at a time, which is within any bound. Every request to the container
 * is in the call log as {@code transform:Ping}, {@code transform:ExecutionParameters} or {@code
 * transform:Invocations}, and {@link Faults} rules on those names make the container answer the
 * rule's error.
 */
final class BatchTransform {
  static final String INVOCATIONS = "transform:Invocations";
  static final String PING = "transform:Ping";
  static final String EXECUTION_PARAMETERS = "transform:ExecutionParameters";

  private static final long MB = 1024L * 1024L;
  private static final int DEFAULT_TIMEOUT_SECONDS = 600;
  private static final int DEFAULT_MAX_RETRIES = 3;

  private final S3Store s3;
  private final CallLog log;
  private final Faults faults;
  private volatile ModelContainer defaultContainer = ModelContainer.echo();
  private final Map<String, ModelContainer> byModel = new ConcurrentHashMap<>();

  BatchTransform(S3Store s3, CallLog log, Faults faults) {
    this.s3 = s3;
    this.log = log;
    this.faults = faults;
  }

  void container(ModelContainer container) {
    this.defaultContainer = container;
  }

  void container(String modelName, ModelContainer container) {
    byModel.put(Arns.key(modelName), container);
  }

  ModelContainer containerFor(String modelName) {
    return byModel.getOrDefault(Arns.key(modelName), defaultContainer);
  }

  /** Ends every job of {@code region} whose transition is due by {@code now}, in time order. */
  void run(RegionStore region, Instant now) {
    List<StoredTransformJob> due =
        region.transformJobs.values().stream()
            .filter(j -> j.dueAt != null && !j.dueAt.isAfter(now))
            .sorted(
                Comparator.comparing((StoredTransformJob j) -> j.dueAt)
                    .thenComparing(j -> j.creationTime))
            .toList();
    for (StoredTransformJob job : due) {
      Instant at = job.dueAt;
      job.dueAt = null;
      job.lastModifiedTime = at;
      job.transformEndTime = at;
      if (job.status == StoredTransformJob.Status.STOPPING) {
        job.status = StoredTransformJob.Status.STOPPED;
        continue;
      }
      String failure = new Run(region, job, at).execute();
      job.status =
          failure == null ? StoredTransformJob.Status.COMPLETED : StoredTransformJob.Status.FAILED;
      job.failureReason = failure == null ? null : truncate(failure);
    }
  }

  /** FailureReason is at most 1024 characters (the model). */
  private static String truncate(String reason) {
    return reason.length() <= 1024 ? reason : reason.substring(0, 1021) + "...";
  }

  /** An input object's failure: the job fails with this reason, other objects still run. */
  private static final class ObjectFailed extends RuntimeException {
    ObjectFailed(String message) {
      super(message, null, false, false);
    }
  }

  /** Where a bucket and key prefix are, from an s3:// URI whose key may be empty. */
  private record Location(String bucket, String prefix) {
    static Location parse(String uri) {
      if (uri == null || !uri.startsWith("s3://")) {
        return null;
      }
      String rest = uri.substring("s3://".length());
      int slash = rest.indexOf('/');
      return slash < 0
          ? new Location(rest, "")
          : new Location(rest.substring(0, slash), rest.substring(slash + 1));
    }

    String uri(String key) {
      return "s3://" + bucket + "/" + key;
    }
  }

  /** An input object: its location and the name relative to the input prefix. */
  private record Input(String bucket, String key, String relative) {
    String uri() {
      return "s3://" + bucket + "/" + key;
    }
  }

  /** One job's run at instant {@code at}. */
  private final class Run {
    private final RegionStore region;
    private final StoredTransformJob job;
    private final Instant at;
    private final ObjectNode req;
    private final ObjectNode input;
    private final ObjectNode output;
    private final String contentType;
    private final String accept;
    private final String splitType;
    private final TransformDataProcessing processing;
    private ModelContainer container;
    private boolean multiRecord;
    private long maxBytes;
    private Duration timeout;
    private int retries;
    private Map<String, String> environment;

    Run(RegionStore region, StoredTransformJob job, Instant at) {
      this.region = region;
      this.job = job;
      this.at = at;
      this.req = job.request;
      this.input = Json.child(req, "TransformInput");
      this.output = Json.child(req, "TransformOutput");
      this.contentType = Json.text(input, "ContentType");
      this.accept = Json.text(output, "Accept");
      String split = Json.text(input, "SplitType");
      this.splitType = split == null ? "None" : split;
      ObjectNode dp = Json.child(req, "DataProcessing");
      this.processing =
          new TransformDataProcessing(
              Json.text(dp, "InputFilter"),
              Json.text(dp, "OutputFilter"),
              Json.text(dp, "JoinSource"));
    }

    /** The failure reason, or null if every object was transformed. */
    String execute() {
      if (job.injectedFailure != null) {
        return job.injectedFailure;
      }
      container = containerFor(job.modelName);
      Optional<String> unsupported = unsupported();
      if (unsupported.isPresent()) {
        return "The simulator does not support " + unsupported.get() + ".";
      }
      if (!ping()) {
        return "AlgorithmError: Model container failed to respond to ping";
      }
      String parameters = resolveParameters();
      if (parameters != null) {
        return parameters;
      }
      Location out = Location.parse(Json.text(output, "S3OutputPath"));
      List<Input> inputs;
      try {
        inputs = inputs();
      } catch (ObjectFailed e) {
        return e.getMessage();
      }
      String failure = null;
      Map<String, S3Store.StoredObject> results = new LinkedHashMap<>();
      for (Input in : inputs) {
        try {
          results.put(outputKey(out.prefix(), in.relative()), transform(in));
        } catch (ObjectFailed e) {
          failure = failure == null ? e.getMessage() : failure;
        }
      }
      S3Store.StoredBucket bucket = s3.bucket(out.bucket());
      if (bucket == null) {
        return "ClientError: Could not upload the output to "
            + out.uri(out.prefix())
            + ": the bucket does not exist.";
      }
      results.forEach(bucket.objects::put);
      return failure;
    }

    private static String outputKey(String prefix, String relative) {
      if (prefix.isEmpty()) {
        return relative + ".out";
      }
      return (prefix.endsWith("/") ? prefix : prefix + "/") + relative + ".out";
    }

    /** What AWS accepts and the simulator does not do: the job fails rather than ignore it. */
    private Optional<String> unsupported() {
      ObjectNode source = Json.child(Json.child(input, "DataSource"), "S3DataSource");
      String dataType = Json.text(source, "S3DataType");
      if ("Converse".equals(dataType)) {
        return Optional.of("S3DataType Converse");
      }
      if (Location.parse(Json.text(source, "S3Uri")) == null
          || Location.parse(Json.text(output, "S3OutputPath")) == null) {
        return Optional.of("https:// S3 URIs (only s3://bucket/key)");
      }
      if (req.has("DataCaptureConfig")) {
        return Optional.of("DataCaptureConfig (batch data capture)");
      }
      if (output.hasNonNull("KmsKeyId")) {
        return Optional.of("TransformOutput.KmsKeyId (its S3 has no server-side encryption)");
      }
      if (container instanceof ModelContainer.HttpModelContainer
          && req.has("Environment")
          && req.get("Environment").size() > 0) {
        return Optional.of(
            "Environment with an HTTP model container (the server runs with its own environment;"
                + " start it with these variables instead)");
      }
      if (processing.active()) {
        TransformDataProcessing.Format in = TransformDataProcessing.Format.of(contentType);
        TransformDataProcessing.Format out = TransformDataProcessing.Format.of(accept);
        if (processing.joinsInput() && in != null && out != null && in != out) {
          return Optional.of(
              "DataProcessing JoinSource Input between different formats (ContentType "
                  + contentType
                  + ", Accept "
                  + accept
                  + ")");
        }
      }
      return Optional.empty();
    }

    private boolean ping() {
      boolean ok;
      String error = null;
      try {
        ok = container.ping();
      } catch (RuntimeException e) {
        ok = false;
        error = e.toString();
      }
      Optional<AwsError> fault = faults.before(PING, false);
      if (fault.isPresent()) {
        ok = false;
        error = fault.get().getMessage();
      }
      logCall(PING, Json.object().put("TransformJobName", job.name), ok ? 200 : 500, error);
      return ok;
    }

    /**
     * MaxConcurrentTransforms, BatchStrategy and MaxPayloadInMB: the request's values, else what
     * the container's execution-parameters answer (asked once, only when one is unset), else the
     * defaults (1, MultiRecord, 6 MB). Answers a failure reason, or null.
     */
    private String resolveParameters() {
      Integer concurrent =
          req.hasNonNull("MaxConcurrentTransforms")
                  && req.get("MaxConcurrentTransforms").asInt() > 0
              ? req.get("MaxConcurrentTransforms").asInt()
              : null;
      String strategy = Json.text(req, "BatchStrategy");
      Integer payload = req.hasNonNull("MaxPayloadInMB") ? req.get("MaxPayloadInMB").asInt() : null;
      if (concurrent == null || strategy == null || payload == null) {
        Optional<ModelContainer.ExecutionParameters> asked = askExecutionParameters();
        if (asked.isPresent()) {
          ModelContainer.ExecutionParameters p = asked.get();
          if (concurrent == null && p.maxConcurrentTransforms() != null) {
            concurrent = p.maxConcurrentTransforms();
          }
          if (strategy == null && p.batchStrategy() != null) {
            strategy =
                switch (p.batchStrategy().toUpperCase(Locale.ROOT)) {
                  case "MULTI_RECORD" -> "MultiRecord";
                  case "SINGLE_RECORD" -> "SingleRecord";
                  default -> null;
                };
            if (strategy == null) {
              return "ClientError: The model container's execution-parameters answered an unknown"
                  + " BatchStrategy "
                  + p.batchStrategy()
                  + ".";
            }
          }
          if (payload == null && p.maxPayloadInMB() != null) {
            payload = p.maxPayloadInMB();
          }
        }
      }
      concurrent = concurrent == null ? 1 : concurrent;
      strategy = strategy == null ? "MultiRecord" : strategy;
      payload = payload == null ? TransformJobHandler.DEFAULT_MAX_PAYLOAD_MB : payload;
      if (payload > TransformJobHandler.MAX_PAYLOAD_MB
          || (long) concurrent * payload > TransformJobHandler.MAX_PAYLOAD_MB) {
        return "ClientError: MaxConcurrentTransforms * MaxPayloadInMB ("
            + concurrent
            + " * "
            + payload
            + ") cannot exceed 100 MB.";
      }
      multiRecord = strategy.equals("MultiRecord") && !splitType.equals("None");
      if (payload == 0 && multiRecord) {
        return "The simulator does not support MaxPayloadInMB 0 (HTTP chunked transfer) with"
            + " BatchStrategy MultiRecord.";
      }
      maxBytes = payload * MB;
      ObjectNode client = Json.child(req, "ModelClientConfig");
      timeout =
          Duration.ofSeconds(
              client != null && client.hasNonNull("InvocationsTimeoutInSeconds")
                  ? client.get("InvocationsTimeoutInSeconds").asInt()
                  : DEFAULT_TIMEOUT_SECONDS);
      retries =
          client != null && client.hasNonNull("InvocationsMaxRetries")
              ? client.get("InvocationsMaxRetries").asInt()
              : DEFAULT_MAX_RETRIES;
      environment = environment();
      return null;
    }

    private Optional<ModelContainer.ExecutionParameters> askExecutionParameters() {
      Optional<ModelContainer.ExecutionParameters> asked;
      int status;
      String error = null;
      try {
        asked = container.executionParameters();
        status = asked.isPresent() ? 200 : 404;
      } catch (RuntimeException e) {
        asked = Optional.empty();
        status = 500;
        error = e.toString();
      }
      ObjectNode logged = Json.object().put("TransformJobName", job.name);
      asked.ifPresent(
          p ->
              logged
                  .putObject("Answer")
                  .put("MaxConcurrentTransforms", p.maxConcurrentTransforms())
                  .put("BatchStrategy", p.batchStrategy())
                  .put("MaxPayloadInMB", p.maxPayloadInMB()));
      logCall(EXECUTION_PARAMETERS, logged, status, error);
      return asked;
    }

    /** The container's environment: the model's, the job's, and the batch variables set. */
    private Map<String, String> environment() {
      Map<String, String> env = new LinkedHashMap<>();
      job.modelEnvironment
          .fields()
          .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      ObjectNode jobEnv = Json.child(req, "Environment");
      if (jobEnv != null) {
        jobEnv.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      }
      env.put("SAGEMAKER_BATCH", "true");
      if (req.hasNonNull("MaxPayloadInMB")) {
        env.put("SAGEMAKER_MAX_PAYLOAD_IN_MB", req.get("MaxPayloadInMB").asText());
      }
      if (req.hasNonNull("BatchStrategy")) {
        env.put(
            "SAGEMAKER_BATCH_STRATEGY",
            req.get("BatchStrategy").asText().equals("MultiRecord")
                ? "MULTI_RECORD"
                : "SINGLE_RECORD");
      }
      if (req.hasNonNull("MaxConcurrentTransforms")) {
        env.put("SAGEMAKER_MAX_CONCURRENT_TRANSFORMS", req.get("MaxConcurrentTransforms").asText());
      }
      return Map.copyOf(env);
    }

    /** The objects to transform, in order. */
    private List<Input> inputs() {
      ObjectNode source = Json.child(Json.child(input, "DataSource"), "S3DataSource");
      String uri = Json.text(source, "S3Uri");
      Location where = Location.parse(uri);
      if ("ManifestFile".equals(Json.text(source, "S3DataType"))) {
        return manifest(where);
      }
      S3Store.StoredBucket bucket = s3.bucket(where.bucket());
      List<Input> out = new ArrayList<>();
      if (bucket != null) {
        String base = where.prefix().substring(0, where.prefix().lastIndexOf('/') + 1);
        for (String key : bucket.objects.keySet()) {
          if (key.startsWith(where.prefix()) && !key.endsWith("/")) {
            out.add(new Input(where.bucket(), key, key.substring(base.length())));
          }
        }
      }
      if (out.isEmpty()) {
        throw new ObjectFailed(
            "ClientError: No S3 objects found under S3 URL \""
                + uri
                + "\" given in input data"
                + " source.");
      }
      return out;
    }

    /**
     * A manifest: a JSON array whose first element is {@code {"prefix": "s3://bucket/prefix/"}} and
     * whose others are keys relative to it.
     */
    private List<Input> manifest(Location where) {
      byte[] bytes = read(where.bucket(), where.prefix());
      JsonNode list;
      try {
        list = Json.MAPPER.readTree(bytes);
      } catch (IOException e) {
        list = null;
      }
      Location prefix =
          list != null && list.isArray() && list.size() > 0
              ? Location.parse(list.get(0).path("prefix").asText(null))
              : null;
      if (prefix == null) {
        throw new ObjectFailed(
            "ClientError: The manifest file "
                + where.uri(where.prefix())
                + " is not a JSON array starting with {\"prefix\": \"s3://...\"}.");
      }
      List<Input> out = new ArrayList<>();
      for (int i = 1; i < list.size(); i++) {
        String relative = list.get(i).asText();
        String base =
            prefix.prefix().isEmpty() || prefix.prefix().endsWith("/")
                ? prefix.prefix()
                : prefix.prefix() + "/";
        out.add(new Input(prefix.bucket(), base + relative, relative));
      }
      return out;
    }

    private byte[] read(String bucketName, String key) {
      S3Store.StoredBucket bucket = s3.bucket(bucketName);
      S3Store.StoredObject o = bucket == null ? null : bucket.objects.get(key);
      if (o == null) {
        throw new ObjectFailed(
            "ClientError: Could not download s3://"
                + bucketName
                + "/"
                + key
                + ": the object does not exist.");
      }
      return o.bytes();
    }

    /** One input object to its output object, or {@link ObjectFailed}. */
    private S3Store.StoredObject transform(Input in) {
      byte[] data = read(in.bucket(), in.key());
      if ("Gzip".equals(Json.text(input, "CompressionType"))) {
        data = gunzip(in, data);
      }
      List<TransformRecords.Rec> records;
      try {
        records = TransformRecords.split(splitType, data);
      } catch (TransformRecords.Unusable e) {
        throw new ObjectFailed(
            "ClientError: Could not split "
                + in.uri()
                + " as "
                + splitType
                + ": "
                + e.getMessage());
      }
      TransformDataProcessing.Format inFormat = null;
      TransformDataProcessing.Format outFormat = null;
      List<byte[]> originals = records.stream().map(TransformRecords.Rec::payload).toList();
      if (processing.active()) {
        inFormat = TransformDataProcessing.Format.of(contentType);
        outFormat = TransformDataProcessing.Format.of(accept);
        if (inFormat == null || outFormat == null) {
          throw new ObjectFailed(
              "ClientError: DataProcessing works on CSV and JSON only: ContentType and Accept must"
                  + " be text/csv, application/json or application/jsonlines (they are "
                  + contentType
                  + " and "
                  + accept
                  + ").");
        }
        if ((inFormat == TransformDataProcessing.Format.CSV
                || outFormat == TransformDataProcessing.Format.CSV)
            && !(splitType.equals("Line") && "Line".equals(Json.text(output, "AssembleWith")))) {
          throw new ObjectFailed(
              "ClientError: With text/csv and DataProcessing, SplitType and AssembleWith must both"
                  + " be Line.");
        }
        records = filtered(in, records, inFormat);
      }
      List<List<TransformRecords.Rec>> batches;
      try {
        batches = TransformRecords.batches(records, multiRecord, maxBytes);
      } catch (TransformRecords.Unusable e) {
        throw new ObjectFailed("ClientError: In " + in.uri() + ", " + e.getMessage() + ".");
      }
      List<byte[]> pieces = new ArrayList<>();
      String answeredType = null;
      int index = 0;
      for (List<TransformRecords.Rec> batch : batches) {
        ModelContainer.Response response = invoke(in, batch);
        answeredType = answeredType == null ? response.contentType() : answeredType;
        if (!processing.active()) {
          pieces.add(response.body());
        } else {
          List<byte[]> results = perRecord(in, batch.size(), response.body());
          for (byte[] result : results) {
            try {
              pieces.add(processing.output(originals.get(index++), inFormat, result, outFormat));
            } catch (TransformDataProcessing.Invalid e) {
              throw new ObjectFailed("ClientError: In " + in.uri() + ", " + e.getMessage() + ".");
            }
          }
        }
      }
      boolean line = "Line".equals(Json.text(output, "AssembleWith"));
      ByteArrayOutputStream assembled = new ByteArrayOutputStream();
      for (byte[] piece : pieces) {
        assembled.writeBytes(piece);
        if (line) {
          assembled.write('\n');
        }
      }
      byte[] bytes = assembled.toByteArray();
      String type =
          accept != null
              ? accept
              : answeredType != null ? answeredType : "application/octet-stream";
      return new S3Store.StoredObject(
          bytes, type, null, S3Checksums.etag(bytes), at, Map.of(), null, null);
    }

    private byte[] gunzip(Input in, byte[] data) {
      try (GZIPInputStream z = new GZIPInputStream(new ByteArrayInputStream(data))) {
        return z.readAllBytes();
      } catch (IOException e) {
        throw new ObjectFailed(
            "ClientError: Could not decompress " + in.uri() + " as Gzip: " + e.getMessage());
      }
    }

    /** InputFilter on every record; a record keeps its newline, if it had one. */
    private List<TransformRecords.Rec> filtered(
        Input in, List<TransformRecords.Rec> records, TransformDataProcessing.Format format) {
      List<TransformRecords.Rec> out = new ArrayList<>();
      for (TransformRecords.Rec r : records) {
        byte[] payload;
        try {
          payload = processing.filterInput(r.payload(), format);
        } catch (TransformDataProcessing.Invalid e) {
          throw new ObjectFailed("ClientError: In " + in.uri() + ", " + e.getMessage() + ".");
        }
        boolean newline = r.raw().length > r.payload().length;
        byte[] raw = payload;
        if (newline) {
          raw = new byte[payload.length + 1];
          System.arraycopy(payload, 0, raw, 0, payload.length);
          raw[payload.length] = '\n';
        }
        out.add(new TransformRecords.Rec(payload, raw));
      }
      return out;
    }

    /** A mini-batch's answer split into one result per record: its lines, one per record. */
    private List<byte[]> perRecord(Input in, int records, byte[] answer) {
      if (records == 1) {
        return List.of(answer);
      }
      List<byte[]> lines =
          TransformRecords.lines(answer).stream().map(TransformRecords.Rec::payload).toList();
      if (lines.size() != records) {
        throw new ObjectFailed(
            "ClientError: In "
                + in.uri()
                + ", the model answered "
                + lines.size()
                + " lines for a mini-batch of "
                + records
                + " records; DataProcessing needs one line per record.");
      }
      return lines;
    }

    /** POST /invocations, with up to InvocationsMaxRetries retries of a failing request. */
    private ModelContainer.Response invoke(Input in, List<TransformRecords.Rec> batch) {
      byte[] body = TransformRecords.body(batch, multiRecord);
      ModelContainer.Request request =
          new ModelContainer.Request(body, contentType, accept, environment);
      String last = null;
      for (int attempt = 0; attempt <= retries; attempt++) {
        ObjectNode logged = Json.object().put("TransformJobName", job.name);
        logged.put("InputObject", in.uri()).put("Records", batch.size()).put("Attempt", attempt);
        logged.put("ContentType", contentType).put("Accept", accept);
        logged.put("BodyLength", body.length);
        logged.put("Body", new String(body, StandardCharsets.UTF_8));
        job.invocations++;
        Optional<AwsError> fault = faults.before(INVOCATIONS, false);
        ModelContainer.Response response;
        if (fault.isPresent()) {
          AwsError f = fault.get();
          response =
              new ModelContainer.Response(
                  f.status(), f.getMessage().getBytes(StandardCharsets.UTF_8), "text/plain");
        } else {
          try {
            response = container.invoke(request, timeout);
          } catch (UncheckedIOException | IllegalStateException e) {
            last = "the model container could not be reached: " + e.getMessage();
            logCall(INVOCATIONS, logged, 502, last);
            continue;
          }
        }
        if (response.status() >= 200 && response.status() < 300) {
          logCall(INVOCATIONS, logged, response.status(), null);
          return response;
        }
        String text = new String(response.body(), StandardCharsets.UTF_8);
        last =
            "the model container answered "
                + response.status()
                + (text.isBlank()
                    ? ""
                    : ": " + (text.length() > 200 ? text.substring(0, 200) : text));
        logCall(INVOCATIONS, logged, response.status(), last);
      }
      throw new ObjectFailed(
          "ClientError: A mini-batch of "
              + batch.size()
              + " record(s) of "
              + in.uri()
              + " failed after "
              + (retries + 1)
              + " attempt(s): "
              + last
              + ".");
    }

    private void logCall(String operation, ObjectNode request, int status, String error) {
      boolean ok = status >= 200 && status < 300 || (status == 404 && error == null);
      log.add(
          new Call(
              at,
              region.name(),
              operation,
              request,
              status,
              ok ? null : "ModelError",
              ok ? null : error,
              false));
    }
  }
}
