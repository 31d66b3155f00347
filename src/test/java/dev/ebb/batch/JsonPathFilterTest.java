package dev.ebb.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonPathFilterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          $                          | [0,1,2,3,4,5,6]               | [0,1,2,3,4,5,6]
          $[1:]                      | [0,1,2,3,4,5,6]               | [1,2,3,4,5,6]
          $[1:4]                     | [0,1,2,3,4,5,6]               | [1,2,3,4]
          $[:5]                      | [0,1,2,3,4,5,6]               | [0,1,2,3,4,5]
          $[2:5]                     | [0,1,2,3,4,5,6]               | [2,3,4,5]
          $[1]                       | [0,1,2,3,4,5,6]               | 1
          $[-1]                      | [0,1,2,3,4,5,6]               | 6
          $[1,3,5]                   | [0,1,2,3,4,5,6]               | [1,3,5]
          $[0,-1]                    | [0,1,2,3,4,5,6]               | [0,6]
          $[0,5:]                    | [0,1,2,3,4,5,6]               | [0,5,6]
          $.features                 | {"id":7,"features":[1,2]}     | [1,2]
          $.id                       | {"id":7,"features":[1,2]}     | 7
          $['id','SageMakerOutput']  | {"id":7,"x":1,"SageMakerOutput":{"l":1}} | {"id":7,"SageMakerOutput":{"l":1}}
          $.id.*                     | {"id":{"a":1,"b":2}}           | [1,2]
          $.f.['a','b']              | {"f":{"a":1,"b":2,"c":3}}       | {"a":1,"b":2}
          $.rows[*].v                | {"rows":[{"v":1},{"v":2}]}      | [1,2]
          $.SageMakerOutput.label    | {"SageMakerOutput":{"label":1}} | 1
          """)
  void selectsAsAwsDocumentsIt(String path, String input, String expected) throws Exception {
    assertThat(JsonPathFilter.parse(path).apply(JSON.readTree(input)))
        .isEqualTo(JSON.readTree(expected));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          $[7]        | [0,1,2]     | index 7 is outside an array of 3
          $[-4]       | [0,1,2]     | outside
          $.missing   | {"id":1}    | no attribute 'missing'
          $[0]        | {"id":1}    | not an array
          """)
  void outOfRangeIsAnError(String path, String input, String message) throws Exception {
    JsonPathFilter filter = JsonPathFilter.parse(path);
    assertThatThrownBy(() -> filter.apply(JSON.readTree(input)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          features                        | must start with $
          $..id                           | empty name
          $.field1.['child1','child2.gc'] | nested children
          $[?(@.a)]                       | unsupported bracket
          $[0:4:2]                        | slice steps
          """)
  void outsideTheSubsetIsRefused(String path, String message) {
    assertThatThrownBy(() -> JsonPathFilter.parse(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
