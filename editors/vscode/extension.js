// The VS Code client of `msense lsp`: starts the server over standard input/output for
// .msense documents, with the executable named by the `msense.server.path` setting.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
    const settings = vscode.workspace.getConfiguration("msense");
    if (!settings.get("server.enabled", true)) {
        return;
    }
    const command = settings.get("server.path", "msense");
    const server = { command, args: ["lsp"] };
    client = new LanguageClient(
        "msense",
        "msense",
        { run: server, debug: server },
        { documentSelector: [{ scheme: "file", language: "msense" }, { scheme: "untitled", language: "msense" }] }
    );
    context.subscriptions.push(client);
    return client.start();
}

function deactivate() {
    return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
