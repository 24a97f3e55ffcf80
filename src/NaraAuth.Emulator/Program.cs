using NaraAuth.Emulator;

EmulatorOptions options;
try
{
    options = EmulatorOptions.FromArgs(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
if (options.ShowHelp)
{
    Console.WriteLine(EmulatorOptions.Usage);
    return 0;
}

InheritedSignals.RestoreInterrupt();
EmulatorServer server;
try
{
    server = await EmulatorServer.StartAsync(options);
}
catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
{
    // One line a script can show as it is; the caller picks another port or 0.
    Console.Error.WriteLine($"NaraAuth emulator: port {options.Port} on 127.0.0.1 is already in use (use --port with a free port, or --port 0 to pick one).");
    return 1;
}

await using (server)
{
    foreach (var line in EmulatorBanner.Lines(server)) Console.WriteLine(line);
    // The host's lifetime turns Ctrl+C, SIGINT and SIGTERM (with or without a terminal) into a
    // shutdown, so a script or test can stop the emulator by its process id.
    await server.WaitForShutdownAsync();
}
Console.WriteLine("NaraAuth emulator stopped.");
return 0;
