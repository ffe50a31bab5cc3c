package io.doorsync.doorflow;

/** Where the Authorization header for DoorFlow comes from: a static API key or token today, OAuth later. */
public interface DoorFlowCredentials {

    /** The full Authorization header value; throws {@link DoorFlowNotConnectedException} when there is none. */
    String authorizationHeader();
}
