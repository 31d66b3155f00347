package dev.ebb.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** List* filters and pages, names, ARNs and regions. */
class ListingAndNamingTest {
  private final SimFixture f = new SimFixture(Delays.none());

  private static List<String> names(JsonNode list, String member) {
    List<String> names = new ArrayList<>();
    list.forEach(item -> names.add(item.get(member).asText()));
    return names;
  }

  @Test
  void arnsLowerCaseTheNameAndNamesAreCaseInsensitive() {
    ObjectNode out =
        f.call(
            "CreateModel", "{\"ModelName\":\"Llama-3-8B\",\"PrimaryContainer\":{\"Image\":\"i\"}}");
    assertThat(out.get("ModelArn").asText())
        .isEqualTo("arn:aws:sagemaker:us-east-1:123456789012:model/llama-3-8b");
    ObjectNode described = f.call("DescribeModel", "{\"ModelName\":\"LLAMA-3-8b\"}");
    assertThat(described.get("ModelName").asText()).isEqualTo("Llama-3-8B");
    assertThat(Arns.parse(out.get("ModelArn").asText()))
        .isEqualTo(new Arns.Parsed("us-east-1", "123456789012", "model", "llama-3-8b"));
  }

  @Test
  void theRegionComesFromTheCredentialScope() {
    assertThat(
            WireProtocol.region(
                "AWS4-HMAC-SHA256 Credential=AKID/20261123/eu-central-1/sagemaker/aws4_request,"
                    + " SignedHeaders=host;x-amz-date, Signature=abc"))
        .isEqualTo("eu-central-1");
    assertThat(WireProtocol.region(null)).isEqualTo("us-east-1");
  }

  @Test
  void regionsShareNothing() {
    f.model("m");
    f.sim.call(
        "eu-west-1",
        "CreateModel",
        SimFixture.json("{\"ModelName\":\"m\",\"PrimaryContainer\":{\"Image\":\"other\"}}"));
    assertThat(f.sim.region("eu-west-1").models().get("m").arn())
        .isEqualTo("arn:aws:sagemaker:eu-west-1:123456789012:model/m");
    assertThat(f.sim.region("us-east-1").models().get("m").images())
        .containsExactly(SimFixture.IMAGE);
  }

  @Test
  void listsFilterSortAndPage() {
    for (String name : List.of("alpha", "beta", "gamma", "alphabet")) {
      f.model(name);
      f.advance(Duration.ofSeconds(1));
    }
    assertThat(names(f.call("ListModels", "{}").get("Models"), "ModelName"))
        .containsExactly("alphabet", "gamma", "beta", "alpha");
    assertThat(
            names(
                f.call("ListModels", "{\"NameContains\":\"ALPHA\",\"SortBy\":\"Name\"}")
                    .get("Models"),
                "ModelName"))
        .containsExactly("alphabet", "alpha");

    ObjectNode first =
        f.call("ListModels", "{\"MaxResults\":3,\"SortBy\":\"Name\",\"SortOrder\":\"Ascending\"}");
    assertThat(names(first.get("Models"), "ModelName"))
        .containsExactly("alpha", "alphabet", "beta");
    String token = first.get("NextToken").asText();
    ObjectNode second =
        f.call(
            "ListModels",
            "{\"MaxResults\":3,\"SortBy\":\"Name\",\"SortOrder\":\"Ascending\",\"NextToken\":\""
                + token
                + "\"}");
    assertThat(names(second.get("Models"), "ModelName")).containsExactly("gamma");
    assertThat(second.has("NextToken")).isFalse();

    assertThat(f.error("ListModels", "{\"NextToken\":\"garbage!\"}").getMessage())
        .startsWith("Invalid pagination token");
    assertThat(f.error("ListModels", "{\"MaxResults\":500}").getMessage())
        .contains("Member must have value less than or equal to 100");
  }

  @Test
  void componentsFilterByEndpoint() {
    f.componentEndpointInService();
    f.componentConfig("cfg-b");
    f.endpoint("other", "cfg-b");
    f.component("ic-b", "other", "m", 1);
    ObjectNode out = f.call("ListInferenceComponents", "{\"EndpointNameEquals\":\"other\"}");
    assertThat(names(out.get("InferenceComponents"), "InferenceComponentName"))
        .containsExactly("ic-b");
    assertThat(out.at("/InferenceComponents/0/InferenceComponentStatus").asText())
        .isEqualTo("InService");
    assertThat(
            names(
                f.call("ListEndpoints", "{\"StatusEquals\":\"InService\",\"NameContains\":\"ep\"}")
                    .get("Endpoints"),
                "EndpointName"))
        .containsExactly("ep");
  }

  @Test
  void tagsAreKeptPerResourceByArn() {
    f.call(
        "CreateModel",
        """
        {"ModelName": "m", "PrimaryContainer": {"Image": "i"},
         "Tags": [{"Key": "team", "Value": "ml"}]}
        """);
    String arn = "arn:aws:sagemaker:us-east-1:123456789012:model/m";
    f.call(
        "AddTags",
        "{\"ResourceArn\":\""
            + arn
            + "\",\"Tags\":[{\"Key\":\"ebb.dev/owner\",\"Value\":\"ie\"}]}");
    assertThat(f.sim.region("us-east-1").models().get("m").tags())
        .containsEntry("team", "ml")
        .containsEntry("ebb.dev/owner", "ie");
    f.call("DeleteTags", "{\"ResourceArn\":\"" + arn + "\",\"TagKeys\":[\"team\"]}");
    ObjectNode listed = f.call("ListTags", "{\"ResourceArn\":\"" + arn + "\"}");
    assertThat(listed.get("Tags")).hasSize(1);
    assertThat(listed.at("/Tags/0/Key").asText()).isEqualTo("ebb.dev/owner");

    String elsewhere = "arn:aws:sagemaker:eu-west-1:123456789012:model/m";
    assertThat(f.error("ListTags", "{\"ResourceArn\":\"" + elsewhere + "\"}").getMessage())
        .isEqualTo("Could not find resource \"" + elsewhere + "\".");
  }
}
