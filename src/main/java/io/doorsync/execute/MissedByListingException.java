package io.doorsync.execute;

/** A change planned from a listing that missed the person it concerns: not carried out, planned again next run. */
class MissedByListingException extends RuntimeException {
    MissedByListingException(String message) {
        super(message);
    }
}
