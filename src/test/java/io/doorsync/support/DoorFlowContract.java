package io.doorsync.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;

import io.doorsync.simulator.Exchange;

/**
 * Checks recorded exchanges against DoorFlow's published openapi.yaml (vendored in src/test/resources from
 * shared/doorflow): each request doorsync sent, and each response the simulator gave.
 */
public final class DoorFlowContract {

    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
            .createFor(DoorFlowContract.class.getResource("/doorflow/openapi.yaml").toString())
            .build();

    private DoorFlowContract() {
    }

    public static void assertConforms(List<Exchange> exchanges) {
        assertThat(exchanges).as("the simulator recorded the exchanges to check").isNotNull();
        List<String> problems = exchanges.stream()
                .map(e -> describe(e, VALIDATOR.validate(request(e), response(e))))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toList());
        assertThat(problems).as("requests and responses that break openapi.yaml").isEmpty();
    }

    /** Validates one exchange and returns the problems (empty when it conforms). */
    public static String problems(Exchange e) {
        return describe(e, VALIDATOR.validate(request(e), response(e)));
    }

    private static String describe(Exchange e, ValidationReport report) {
        if (!report.hasErrors()) {
            return "";
        }
        return e.request().method() + " " + e.request().path() + " -> " + e.response().status() + ": "
                + report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                        .map(ValidationReport.Message::getMessage).collect(Collectors.joining(" | "));
    }

    private static SimpleRequest request(Exchange e) {
        SimpleRequest.Builder b = new SimpleRequest.Builder(Request.Method.valueOf(e.request().method()),
                e.request().path());
        e.request().headers().forEach(b::withHeader);
        e.request().query().forEach(b::withQueryParam);
        if (e.request().body() != null && !e.request().body().isEmpty()) {
            b.withBody(e.request().body());
        }
        return b.build();
    }

    private static SimpleResponse response(Exchange e) {
        SimpleResponse.Builder b = SimpleResponse.Builder.status(e.response().status());
        e.response().headers().forEach(b::withHeader);
        if (e.response().text() != null) {
            b.withContentType("text/plain").withBody(e.response().text());
        } else if (e.response().body() != null) {
            b.withContentType("application/json").withBody(e.response().body().toString());
        }
        return b.build();
    }
}
