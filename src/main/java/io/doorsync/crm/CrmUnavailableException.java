package io.doorsync.crm;

/** The CRM contract could not be read (database down, schema or column missing): the whole run stops. */
public class CrmUnavailableException extends RuntimeException {
    public CrmUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
