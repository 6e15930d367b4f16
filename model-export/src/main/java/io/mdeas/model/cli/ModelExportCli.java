package io.mdeas.model.cli;

/** Entry point of model-export (subcommands are added as they are built). */
public final class ModelExportCli {
    private ModelExportCli() {}

    public static void main(String[] args) {
        System.err.println("model-export: not wired yet");
        System.exit(2);
    }
}
