/**
 * Ebb's SageMaker simulator: a fake of Amazon SageMaker, SageMaker Runtime, Application Auto
 * Scaling (for SageMaker targets), CloudWatch metric alarms, and the S3 and SNS that asynchronous
 * inference uses, speaking the real wire protocols, so tests drive it only through the real
 * aws-sdk-java-v2 clients with an endpoint override ({@link dev.ebb.simulator.SimClients}).
 *
 * <h2>How it is put together</h2>
 *
 * <ul>
 *   <li>{@link dev.ebb.simulator.SageMakerSimulator}: the facade (start, endpoint, Java API, {@code
 *       main} for standalone use); {@link dev.ebb.simulator.SimulatedS3} and {@link
 *       dev.ebb.simulator.SimulatedSns} seed and read S3 and SNS without a client.
 *   <li>{@code WireProtocol}: the HTTP server's router. Requests signed for S3 (credential scope
 *       {@code .../s3/aws4_request}, header or presigned query) go to {@code S3Protocol} (REST-XML,
 *       path style), and so do unsigned GETs and HEADs (anonymous reads, as of a public bucket).
 *       {@code POST /} with {@code X-Amz-Target: SageMaker.<Operation>} is the control plane
 *       (awsJson1_1), with {@code AnyScaleFrontendService.<Operation>} Application Auto Scaling; a
 *       form-encoded {@code POST /} with {@code Action=...} is CloudWatch, or SNS when signed for
 *       sns (AWS Query, XML answers, {@code QueryProtocol}); {@code POST
 *       /endpoints/{name}/invocations}, {@code .../invocations-response-stream} and {@code
 *       .../async-invocations} are SageMaker Runtime ({@code RuntimeProtocol}, restJson1; the
 *       stream is framed by {@code EventStreamFrames}); {@code /_sim/} is the {@code AdminApi}. The
 *       region comes from the SigV4 credential scope.
 *   <li>{@code Dispatcher}: one lock, lazy transitions, queued async invocations, faults, the call
 *       log; shared by HTTP and the fast tests ({@link dev.ebb.simulator.SageMakerSimulator#call}).
 *   <li>{@code ControlPlane}: operation name to handler: {@code ModelHandler}, {@code
 *       EndpointConfigHandler}, {@code EndpointHandler}, {@code ComponentHandler}, {@code
 *       TagHandler}, {@code TransformJobHandler}, {@code AutoScalingHandler}, {@code
 *       CloudWatchHandler}; {@code RuntimeHandler} for InvokeEndpoint and its streaming twin;
 *       {@code AsyncInvocations} for InvokeEndpointAsync; {@code S3Handler} (with {@code
 *       S3Listing}, {@code AwsChunked}, {@code S3Checksums}) and {@code SnsHandler}.
 *   <li>Batch transform: {@code TransformJobHandler} (Create/Describe/Stop/ListTransformJobs),
 *       {@code BatchTransform} (runs a due job in simulated time: S3 inputs, {@code
 *       TransformRecords} to split and batch, {@code TransformDataProcessing} for the JSONPath
 *       filters and joins, the model container, the {@code .out} objects), and {@link
 *       dev.ebb.simulator.ModelContainer}: echo by default, or a function or a real model server's
 *       URL ({@link dev.ebb.simulator.SageMakerSimulator#modelContainer}).
 *   <li>{@code Resources}/{@code RegionStore}: the state store, one per region, with the queue of
 *       due transitions and of async invocations; {@code S3Store} and {@code SnsStore} are global;
 *       {@code Stored*} are the resources; {@code Descriptions} renders them as Describe* and List*
 *       outputs and {@link dev.ebb.simulator.Snapshot} as Java records.
 *   <li>{@code Contract} and {@code dev.ebb.simulator.model}: every request and answer is checked
 *       against AWS's service models (botocore, pinned in {@code .ci/run}); a violation answers the
 *       protocol's validation error and fails the test at close. {@code VariantRules}, {@code
 *       ReservedTags} and the handlers keep only the rules the models cannot express; {@code Refs}:
 *       lookups that answer "Could not find ...". docs/simulator.md explains the binding and lists
 *       every behaviour beyond the models with its source.
 *   <li>{@code Autoscaling} (on with {@code Builder#autoscaling}): CloudWatch metrics from what was
 *       served ({@code SageMakerMetrics}), alarms evaluated, Application Auto Scaling's policies
 *       ({@code PolicyExecution}, {@code TargetTrackingAlarms}) and scheduled actions ({@code
 *       ScheduledScaling}) run in simulated time, by AWS's behaviour as {@link dev.ebb.whatif.aws}
 *       implements it (shared with what-if); sources in {@code docs/simulator-scaling.md}.
 *   <li>{@link dev.ebb.simulator.Faults}, {@link dev.ebb.simulator.FaultRule}, {@link
 *       dev.ebb.simulator.Quotas}: throttling, injected errors and failures, eventual consistency,
 *       instance quotas. Rules match the call log's operation names, so they reach the runtime
 *       ("InvokeEndpointAsync"), S3 ("s3:GetObject") and SNS ("sns:Publish") calls too.
 * </ul>
 *
 * <h2>Standalone</h2>
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.ebb.simulator.SageMakerSimulator [-Dexec.args=PORT]
 * </pre>
 *
 * listens on PORT (or EBB_SIMULATOR_PORT, default 4599) with {@link
 * dev.ebb.simulator.Delays#defaults()} on the system clock.
 */
package dev.ebb.simulator;
