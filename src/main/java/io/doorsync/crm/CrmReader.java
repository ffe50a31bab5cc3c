package io.doorsync.crm;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.plan.CrmCredential;
import io.doorsync.plan.CrmMember;
import io.doorsync.plan.CrmTeam;
import io.doorsync.plan.PersonField;
import io.doorsync.plan.PersonFields;
import io.doorsync.plan.PersonTexts;
import io.doorsync.plan.ValuePool;

/**
 * Reads the CRM contract (members, teams, team_members, member_credentials) in one REPEATABLE READ, read-only transaction, so a
 * tick never sees half of a CRM update. Plain JDBC: the relations may be views with loosely typed columns,
 * which is easier to meet with explicit casts than with entity mappings.
 */
@ApplicationScoped
public class CrmReader {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final DataSource dataSource;
    private final String schema;
    private final String schemaName;
    /** Whose links remember the photos' versions (another account may have the same member ids). */
    private final Account account;
    private final boolean withCredentials;
    private final boolean withPhotos;
    private final ZoneId zone;
    private final PersonFields fields;

    @Inject
    CrmReader(DataSource dataSource, DoorsyncConfig config, PersonFields fields) {
        this(dataSource, config.crm().schema(), config.credentials().enabled(), config.photos().enabled(),
                config.crm().timeZone(), fields);
    }

    CrmReader(DataSource dataSource, String schemaName, boolean withCredentials, boolean withPhotos, ZoneId zone) {
        this(dataSource, schemaName, withCredentials, withPhotos, zone, PersonFields.BUILT_IN);
    }

    CrmReader(DataSource dataSource, String schemaName, boolean withCredentials, boolean withPhotos, ZoneId zone,
            PersonFields fields) {
        this(Account.DEFAULT, dataSource, schemaName, withCredentials, withPhotos, zone, fields);
    }

    CrmReader(Account account, DataSource dataSource, String schemaName, boolean withCredentials, boolean withPhotos,
            ZoneId zone, PersonFields fields) {
        this.account = account;
        this.dataSource = dataSource;
        this.fields = fields;
        this.withCredentials = withCredentials;
        this.withPhotos = withPhotos;
        this.zone = zone;
        if (!IDENTIFIER.matcher(schemaName).matches()) {
            throw new IllegalArgumentException("doorsync.crm.schema '" + schemaName
                    + "' is not a plain PostgreSQL identifier (letters, digits, underscore)");
        }
        this.schema = "\"" + schemaName + "\"";
        this.schemaName = schemaName;
    }

    /** The CRM schema it reads, as named in the settings. */
    public String schemaName() {
        return schemaName;
    }

    /**
     * The desired state; rows without an id cannot be attributed to anyone and are counted, not used. {@code photos}
     * is a key per member with a photo (a hash of its bytes, or its URL and when that was set), never the image.
     */
    public record CrmSnapshot(List<CrmMember> members, List<CrmTeam> teams, List<CrmCredential> credentials,
            int rowsWithoutId, Map<String, String> photos) {
        public CrmSnapshot(List<CrmMember> members, List<CrmTeam> teams, List<CrmCredential> credentials,
                int rowsWithoutId) {
            this(members, teams, credentials, rowsWithoutId, Map.of());
        }
    }

    /** A member's photo as the CRM holds it: bytes, or a URL to fetch (read only when it is to be uploaded). */
    public record PhotoSource(byte[] image, String url, long storedBytes) {
        /** A stored photo too large to read: its size, and no bytes. */
        public boolean tooLarge() {
            return image == null && url == null;
        }

        @Override
        public String toString() {
            return url == null ? "PhotoSource[" + storedBytes + " bytes]" : "PhotoSource[a URL]";
        }
    }

    public CrmSnapshot read() {
        return read(null, Set.of());
    }

    /**
     * The desired state of some members only (a wake-up's run): those named, every member sharing an email with
     * them or with one of {@code emails}, nothing else; so a shared email is found as a full read finds it. An id
     * named without a row is a member who has left. {@code memberIds} null reads everyone. Rows without an id are
     * counted by full reads only.
     */
    public CrmSnapshot read(Set<String> memberIds, Set<String> emails) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            try {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                c.setReadOnly(true);
                CrmSnapshot snapshot = readIn(c, memberIds == null ? null : scope(c, memberIds, emails));
                c.commit();
                return snapshot;
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setTransactionIsolation(isolation);
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new CrmUnavailableException("cannot read the CRM contract in schema " + schema
                    + " (doorsync.crm.schema): " + e.getMessage(), e);
        }
    }

    /** Whether the CRM's members relation has a row with this id (one query, not a read of everyone). */
    public boolean hasMember(String memberId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select 1 from " + schema + ".members where id::text = ?")) {
            ps.setString(1, memberId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new CrmUnavailableException("cannot read the CRM contract in schema " + schema
                    + " (doorsync.crm.schema): " + e.getMessage(), e);
        }
    }

    /** The ids a scoped read covers: those named, and the members sharing an email with them or with {@code emails}. */
    private String[] scope(Connection c, Set<String> memberIds, Set<String> emails) throws SQLException {
        Set<String> ids = new HashSet<>(memberIds);
        // Emails compared as the planner compares them: blanks around ignored, case-insensitively.
        String normal = "lower(regexp_replace(email::text, '^\\s+|\\s+$', '', 'g'))";
        query(c, "select id::text from " + schema + ".members where id::text = any(?) or " + normal + " in (select "
                + normal + " from " + schema + ".members where id::text = any(?) union select lower(e) from unnest(?)"
                + " as e)", rs -> {
                    if (rs.getString(1) != null) {
                        ids.add(rs.getString(1));
                    }
                }, memberIds.toArray(String[]::new), memberIds.toArray(String[]::new), emails.toArray(String[]::new));
        return ids.toArray(String[]::new);
    }

    /** {@code where <column> = any(ids)}, or nothing for a full read. */
    private static String only(String[] ids, String column) {
        return ids == null ? "" : " where " + column + "::text = any(?)";
    }

    private CrmSnapshot readIn(Connection c, String[] ids) throws SQLException {
        int[] withoutId = {0};
        // Statuses, team ids, credential types and the sets of teams repeat across members: each is kept once
        // (at 100,000 members, copies of the same few words were a tenth of what a run of everyone held).
        ValuePool once = new ValuePool();
        Map<String, Set<String>> teamsOfMember = new HashMap<>();
        query(c, "select team_id::text, member_id::text from " + schema + ".team_members" + only(ids, "member_id"),
                rs -> {
            if (rs.getString(1) == null || rs.getString(2) == null) {
                withoutId[0]++;
                return;
            }
            // Kept as the members' final sets from the start: nearly all share a few, and a set per member is not made.
            teamsOfMember.merge(rs.getString(2), once.one(Set.of(rs.getString(1))),
                    (before, added) -> once.one(union(before, added)));
        }, ids);
        List<CrmTeam> teams = new ArrayList<>();
        query(c, "select id::text, name::text, doorflow_group_id::bigint from " + schema + ".teams", rs -> {
            if (rs.getString(1) == null) {
                withoutId[0]++;
                return;
            }
            Long group = rs.getObject(3, Long.class);
            teams.add(new CrmTeam(rs.getString(1), rs.getString(2), group));
        });
        List<CrmMember> members = new ArrayList<>();
        StringBuilder columns = new StringBuilder();
        for (PersonField field : mappedColumnsChecked(c).all()) {
            // Quoted: a mapped column named like a SQL word (user, current_date) is still the column.
            columns.append('"').append(field.crmColumn()).append("\"::text, ");
        }
        int texts = fields.size();
        query(c, "select id::text, " + columns + "status::text, " + validity(c, "valid_from", false) + ", "
                + validity(c, "valid_to", true) + " from " + schema + ".members" + only(ids, "id"), rs -> {
                    String id = rs.getString(1);
                    if (id == null) {
                        withoutId[0]++;
                        return;
                    }
                    String[] values = new String[texts];
                    for (int i = 0; i < texts; i++) {
                        values[i] = rs.getString(2 + i);
                    }
                    members.add(new CrmMember(id, PersonTexts.of(fields, values), once.one(rs.getString(2 + texts)),
                            instant(rs, 3 + texts), instant(rs, 4 + texts), teamsOfMember.getOrDefault(id,
                                    Set.of())));
                }, ids);
        List<CrmCredential> credentials = new ArrayList<>();
        if (withCredentials) {
            query(c, "select member_id::text, credential_type::text, value::text from " + schema
                    + ".member_credentials" + only(ids, "member_id"), rs -> {
                        if (rs.getString(1) == null) {
                            withoutId[0]++;
                            return;
                        }
                        credentials.add(new CrmCredential(rs.getString(1), once.one(rs.getString(2)),
                                rs.getString(3)));
                    }, ids);
        }
        return new CrmSnapshot(members, teams, credentials, ids == null ? withoutId[0] : 0, photoKeys(c, ids));
    }

    /**
     * The field table, once every mapped column is known to be in the members relation: a missing one fails the
     * read with the setting that names it, rather than PostgreSQL's words about a column.
     */
    private PersonFields mappedColumnsChecked(Connection c) throws SQLException {
        for (PersonField field : fields.all()) {
            if (field.mapped() && columnType(c, field.crmColumn()).isEmpty()) {
                throw new CrmUnavailableException("doorsync.mapping." + field.doorflowField() + " names column '"
                        + field.crmColumn() + "', which " + schema + ".members does not have", null);
            }
        }
        return fields;
    }

    /**
     * A stored photo's version, from its member_photos row {@code p}: its size and updated_at (the contract: a new
     * image comes with a new updated_at). Measuring the size reads no bytes.
     */
    public static final String PHOTO_VERSION = "octet_length(p.image)::text || '@' || coalesce(p.updated_at::timestamptz"
            + "::text, '')";

    /** Whether the optional photos relation is there (and photos are on). */
    private boolean hasPhotos(Connection c) throws SQLException {
        if (!withPhotos) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("select to_regclass(?) is not null")) {
            ps.setString(1, schema + ".member_photos");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * A key per photo that changes when the photo does: the SHA-256 of the bytes, or the URL and its updated_at. A
     * stored photo whose size and updated_at are those doorsync last applied ({@link #PHOTO_VERSION}, remembered in
     * doorsync.person_link) keeps the key it had, without hashing its bytes again.
     */
    private Map<String, String> photoKeys(Connection c, String[] ids) throws SQLException {
        Map<String, String> keys = new HashMap<>();
        if (!hasPhotos(c)) {
            return keys;
        }
        query(c, "select p.member_id::text, case when p.image is not null then case when l.photo_version = "
                + PHOTO_VERSION + " then l.photo_key else 'sha256:' || encode(sha256(p.image), 'hex') end"
                + " when nullif(btrim(p.image_url::text), '') is not null then 'url:' || btrim(p.image_url::text)"
                + " || '@' || coalesce(p.updated_at::timestamptz::text, '') end from " + schema + ".member_photos p"
                + " left join person_link l on l.account = '" + account.id().replace("'", "''") + "' and l.member_id ="
                + " p.member_id::text"
                + only(ids, "p.member_id"), rs -> {
                    if (rs.getString(1) != null && rs.getString(2) != null) {
                        keys.put(rs.getString(1), rs.getString(2));
                    }
                }, ids);
        return keys;
    }

    /**
     * One member's photo, read when it is to be uploaded; null when the CRM has none (any more). A stored image
     * over {@code maxBytes} is measured in the database and never read: only its size comes back.
     */
    public PhotoSource photo(String memberId, int maxBytes) {
        try (Connection c = dataSource.getConnection()) {
            if (!hasPhotos(c)) {
                return null;
            }
            try (PreparedStatement ps = c.prepareStatement("select octet_length(image), case when octet_length(image)"
                    + " <= ? then image end, nullif(btrim(image_url::text), '') from " + schema + ".member_photos"
                    + " where member_id::text = ?")) {
                ps.setInt(1, maxBytes);
                ps.setString(2, memberId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    long size = rs.getLong(1);
                    boolean stored = !rs.wasNull();
                    byte[] image = rs.getBytes(2);
                    String url = rs.getString(3);
                    if (!stored && url == null) {
                        return null;
                    }
                    return stored ? new PhotoSource(image, null, size) : new PhotoSource(null, url, 0);
                }
            }
        } catch (SQLException e) {
            throw new CrmUnavailableException("cannot read the photo of member " + memberId + " in schema " + schema
                    + ".member_photos: " + e.getMessage(), e);
        }
    }

    /**
     * A validity column as an instant: a timestamptz as it is; a timestamp without time zone in
     * doorsync.crm.time-zone; a date from the start of that day there, or for valid_to through its last second.
     * The declared type is read from the catalog, so views work the same as tables.
     */
    private String validity(Connection c, String column, boolean end) throws SQLException {
        String type = columnType(c, column);
        // A region as its name; a fixed offset as an interval, because PostgreSQL reads '+02:00' as a POSIX zone,
        // whose sign is the other way round. Neither can hold a quote: ZoneId has validated it.
        ZoneId z = zone.normalized();
        String tz = z instanceof ZoneOffset offset ? "interval '" + offset.getId().replace("Z", "+00:00") + "'"
                : "'" + z.getId() + "'";
        return switch (type) {
            case "date" -> end ? "((" + column + " + 1)::timestamp at time zone " + tz + ") - interval '1 second'"
                    : "(" + column + "::timestamp at time zone " + tz + ")";
            case "timestamp without time zone" -> "(" + column + " at time zone " + tz + ")";
            default -> column + "::timestamptz";
        };
    }

    /** The declared type of a column of the members relation (views too, from the catalog); "" when there is none. */
    private String columnType(Connection c, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select format_type(a.atttypid, a.atttypmod) from pg_attribute a"
                + " where a.attrelid = to_regclass(?) and a.attname = ? and not a.attisdropped")) {
            ps.setString(1, schema + ".members");
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    /** Runs {@code sql} with text arrays for its parameters (none when the only one is null: a full read). */
    private static void query(Connection c, String sql, RowHandler handler, String[]... arrays) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(1000);
            for (int i = 0; i < arrays.length && arrays[i] != null; i++) {
                ps.setArray(i + 1, c.createArrayOf("text", arrays[i]));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.addAll(b);
        return Set.copyOf(both);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
