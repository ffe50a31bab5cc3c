package io.doorsync.doorflow;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jboss.resteasy.reactive.RestResponse;

/**
 * One walk through a paginated DoorFlow listing (page and per_page; the Total and Date headers), with what the
 * walk can say about itself: how many pages it took, DoorFlow's clock when it began, and the Total that every page
 * reported (null when a page said none or another). DoorFlow pages by offset, so a record that disappears from a
 * page already read shifts the rest forward and the walk misses one; the Total is how a caller tells.
 */
record PagedListing<R>(List<R> items, Instant startedAt, boolean dated, int pages, Integer total) {

    /** One page of a listing. */
    interface PageRequest<T> {
        RestResponse<List<T>> page(int page, int perPage);
    }

    /** How a page is fetched: the gateway's read, which retries it. */
    interface Reader {
        <T> T read(Supplier<T> request);
    }

    /** Walks the listing, keeping each record as {@code mapped}; stops on a short page, or when Total is reached. */
    static <T, R> PagedListing<R> walk(int perPage, PageRequest<T> request, Function<T, R> mapped, Reader reader) {
        Instant asked = Instant.now();
        List<R> all = new ArrayList<>();
        Instant startedAt = null;
        boolean dated = false;
        Integer heldTotal = null;
        for (int page = 1;; page++) {
            final int current = page;
            RestResponse<List<T>> response = reader.read(() -> request.page(current, perPage));
            Integer total = intHeader(response, "Total");
            if (startedAt == null) {
                Instant date = date(response);
                dated = date != null;
                startedAt = dated ? date : asked;
                heldTotal = total;
            } else if (heldTotal != null && !heldTotal.equals(total)) {
                heldTotal = null;
            }
            List<T> batch = response.getEntity() == null ? List.of() : response.getEntity();
            batch.forEach(item -> all.add(mapped.apply(item)));
            if (batch.size() < perPage || (total != null && all.size() >= total)) {
                return new PagedListing<>(all, startedAt, dated, page, heldTotal);
            }
        }
    }

    /** DoorFlow's clock from an answer's Date header (whole seconds), or null. */
    private static Instant date(RestResponse<?> response) {
        String value = response.getHeaderString("Date");
        try {
            return value == null ? null : Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(value.trim()));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Integer intHeader(RestResponse<?> response, String name) {
        String value = response.getHeaderString(name);
        try {
            return value == null ? null : Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
