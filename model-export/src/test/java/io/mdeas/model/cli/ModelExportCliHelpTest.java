package io.mdeas.model.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Picocli renders a command's description and footer lines with {@link String#format}; a bare {@code %} (say
 * "95 % interval") makes {@code --help} print a warning and the unformatted text. (Option descriptions come back
 * from picocli already formatted, so they cannot be checked this way.)
 */
class ModelExportCliHelpTest {

    @Test
    void everyHelpTextFormats() {
        List<String> checked = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        visit(ModelExportCli.commandLine(), checked, broken);
        assertTrue(checked.size() >= 11, "walked the command tree: " + checked.size() + " lines");
        assertEquals(List.of(), broken, "help lines that are not format strings (write %% for a percent sign)");
    }

    private static void visit(CommandLine command, List<String> checked, List<String> broken) {
        CommandSpec spec = command.getCommandSpec();
        for (String line : spec.usageMessage().description()) {
            check(spec.qualifiedName(), line, checked, broken);
        }
        for (String line : spec.usageMessage().footer()) {
            check(spec.qualifiedName() + " footer", line, checked, broken);
        }
        command.getSubcommands().values().forEach(sub -> visit(sub, checked, broken));
    }

    private static void check(String where, String line, List<String> checked, List<String> broken) {
        checked.add(line);
        try {
            String.format(Locale.ROOT, line);
        } catch (IllegalFormatException e) {
            broken.add(where + ": " + line);
        }
    }
}
