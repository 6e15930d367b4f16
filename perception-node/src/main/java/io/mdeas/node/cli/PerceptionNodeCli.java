package io.mdeas.node.cli;

/** Entry point of the perception node (commands are added by the service work). */
public final class PerceptionNodeCli {
    private PerceptionNodeCli() {}

    public static void main(String[] args) {
        System.err.println("perception-node: not wired yet");
        System.exit(2);
    }
}
