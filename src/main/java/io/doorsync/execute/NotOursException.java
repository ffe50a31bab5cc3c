package io.doorsync.execute;

/** DoorFlow holds a person with this installation's mark that this installation did not create: left alone. */
class NotOursException extends RuntimeException {
    NotOursException(String message) {
        super(message);
    }
}
