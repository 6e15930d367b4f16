package io.mdeas.node.publish.mqtt;

/**
 * Receives the commands the node subscribes to: {@code <root>/cmd/background} ({@code reset}) and
 * {@code <root>/cmd/motion} ({@code moving} / {@code stopped}). Called on the MQTT callback thread: keep it short.
 */
public interface NodeCommands {
    /** {@code cmd/background reset}: relearn the background from the next frames. */
    void resetBackground();

    /** {@code cmd/motion moving|stopped}: the robot base started or stopped moving. */
    void setMoving(boolean moving);

    /** Commands are ignored. */
    NodeCommands IGNORE = new NodeCommands() {
        @Override
        public void resetBackground() {}

        @Override
        public void setMoving(boolean moving) {}
    };
}
