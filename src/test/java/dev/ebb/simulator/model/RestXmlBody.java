package dev.ebb.simulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The members of a REST-XML answer's body (S3's), read back from the XML with the output shape as
 * botocore's restxml parser reads it: elements by member (or {@code locationName}), flattened lists
 * as repeated elements, wrapped lists by their {@code member} elements, scalars by their type. What
 * the simulator's own XML writer wrote can then be checked like any other answer.
 */
public final class RestXmlBody {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private RestXmlBody() {}

  /** The body members of {@code shape} (headers and status code are not in the body). */
  public static ObjectNode members(ServiceModel model, String shape, byte[] xml) {
    Element root = parse(xml);
    JsonNode value = read(model, shape, root, true);
    return value instanceof ObjectNode object ? object : NODES.objectNode();
  }

  private static JsonNode read(ServiceModel model, String shapeName, Element element, boolean top) {
    JsonNode shape = model.shape(shapeName);
    String text = element.getTextContent();
    return switch (shape.path("type").asText()) {
      case "structure" -> structure(model, shape, element, top);
      case "list" -> list(model, shape, children(element, memberName(shape)));
      case "integer", "long" -> NODES.numberNode(Long.parseLong(text.trim()));
      case "float", "double" -> NODES.numberNode(Double.parseDouble(text.trim()));
      case "boolean" -> NODES.booleanNode(Boolean.parseBoolean(text.trim()));
      default -> NODES.textNode(text);
    };
  }

  private static ObjectNode structure(
      ServiceModel model, JsonNode shape, Element element, boolean top) {
    ObjectNode out = NODES.objectNode();
    Iterator<Map.Entry<String, JsonNode>> members = shape.path("members").fields();
    while (members.hasNext()) {
      Map.Entry<String, JsonNode> entry = members.next();
      JsonNode member = entry.getValue();
      if (top && member.has("location")) {
        continue; // a header, the status code: not in the body
      }
      String wire = member.path("locationName").asText(entry.getKey());
      String memberShape = member.path("shape").asText();
      JsonNode target = model.shape(memberShape);
      List<Element> found = children(element, wire);
      if (found.isEmpty()) {
        continue;
      }
      if ("list".equals(target.path("type").asText()) && target.path("flattened").asBoolean()) {
        out.set(entry.getKey(), list(model, target, found));
      } else {
        out.set(entry.getKey(), read(model, memberShape, found.get(0), false));
      }
    }
    return out;
  }

  private static ArrayNode list(ServiceModel model, JsonNode list, List<Element> items) {
    ArrayNode out = NODES.arrayNode();
    String item = list.path("member").path("shape").asText();
    items.forEach(e -> out.add(read(model, item, e, false)));
    return out;
  }

  /** A wrapped list's item element: its member's locationName, else "member". */
  private static String memberName(JsonNode list) {
    return list.path("member").path("locationName").asText("member");
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e
          && name.equals(e.getLocalName() != null ? e.getLocalName() : e.getTagName())) {
        out.add(e);
      }
    }
    return out;
  }

  private static Element parse(byte[] xml) {
    try {
      var factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getDocumentElement();
    } catch (Exception e) {
      throw new IllegalArgumentException("not XML: " + e.getMessage(), e);
    }
  }
}
