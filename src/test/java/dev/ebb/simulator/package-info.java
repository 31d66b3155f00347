/**
 * Ebb's SageMaker simulator: a fake of Amazon SageMaker, SageMaker Runtime, Application Auto
 * Scaling (for SageMaker targets) and CloudWatch metric alarms that speaks the real wire protocols,
 * so tests drive it only through the real aws-sdk-java-v2 clients with an endpoint override.
 *
 * <h2>How it is put together</h2>
 *
 * <ul>
 *   <li>{@link dev.ebb.simulator.SageMakerSimulator}: the facade (start, endpoint, Java API, {@code
 *       main} for standalone use).
 *   <li>{@code WireProtocol}: the HTTP server's router. {@code POST /} with {@code X-Amz-Target:
 *       SageMaker.<Operation>} is the control plane (awsJson1_1), with {@code
 *       AnyScaleFrontendService.<Operation>} Application Auto Scaling; a form-encoded {@code POST
 *       /} with {@code Action=...} is CloudWatch (AWS Query, XML answers, {@code QueryProtocol});
 *       {@code POST /endpoints/{name}/invocations} is SageMaker Runtime (restJson1); {@code /_sim/}
 *       is the {@code AdminApi}. The region comes from the SigV4 credential scope.
 *   <li>{@code Dispatcher}: one lock, lazy transitions, faults, the call log; shared by HTTP and
 *       the fast tests ({@link dev.ebb.simulator.SageMakerSimulator#call}).
 *   <li>{@code ControlPlane}: operation name to handler: {@code ModelHandler}, {@code
 *       EndpointConfigHandler}, {@code EndpointHandler}, {@code ComponentHandler}, {@code
 *       TagHandler}, {@code AutoScalingHandler}, {@code CloudWatchHandler}; {@code RuntimeHandler}
 *       for InvokeEndpoint.
 *   <li>{@code Resources}/{@code RegionStore}: the state store, one per region, with the queue of
 *       due transitions; {@code Stored*} are the resources; {@code Descriptions} renders them as
 *       Describe* and List* outputs and {@link dev.ebb.simulator.Snapshot} as Java records.
 *   <li>{@code Members}/{@code Violations}/{@code VariantRules}: validation, reported in
 *       SageMaker's own words; {@code Refs}: lookups that answer "Could not find ...".
 *   <li>{@link dev.ebb.simulator.Faults}, {@link dev.ebb.simulator.FaultRule}, {@link
 *       dev.ebb.simulator.Quotas}: throttling, injected errors and failures, eventual consistency,
 *       instance quotas.
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
