package io.doorsync.simulator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.doorsync.simulator.Http.Request;

/**
 * A request as DoorFlow's API routes it: "METHOD /template" (the key of the simulator's call counts and fault
 * controls) and the ids its path carries.
 *
 * @param personId the person the path names, or -1
 * @param credentialId the credential the path names, or null
 */
record Route(String key, long personId, String credentialId) {

    private static final Pattern PERSON_PATH = Pattern.compile("^/api/3/people/(\\d+)$");
    private static final Pattern PERSON_CREDENTIALS_PATH = Pattern.compile("^/api/3/people/(\\d+)/credentials$");
    private static final Pattern PERSON_CREDENTIAL_PATH = Pattern.compile("^/api/3/people/(\\d+)/credentials/([^/]+)$");

    static Route of(Request r) {
        String path = r.path().length() > 1 && r.path().endsWith("/") ? r.path().substring(0, r.path().length() - 1)
                : r.path();
        Matcher person = PERSON_PATH.matcher(path);
        if (person.matches()) {
            return new Route(r.method() + " /api/3/people/{id}", Long.parseLong(person.group(1)), null);
        }
        Matcher credentials = PERSON_CREDENTIALS_PATH.matcher(path);
        if (credentials.matches()) {
            return new Route(r.method() + " /api/3/people/{person_id}/credentials",
                    Long.parseLong(credentials.group(1)), null);
        }
        Matcher credential = PERSON_CREDENTIAL_PATH.matcher(path);
        if (credential.matches()) {
            return new Route(r.method() + " /api/3/people/{person_id}/credentials/{id}",
                    Long.parseLong(credential.group(1)), credential.group(2));
        }
        return new Route(r.method() + " " + path, -1, null);
    }
}
