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

await using var server = await EmulatorServer.StartAsync(options);
Console.WriteLine($"NaraAuth emulator listening on {server.BaseUrl}");
Console.WriteLine($"  export NARA_BASE_URL={server.BaseUrl.ToString().TrimEnd('/')}");
if (options.PreApprove) Console.WriteLine("  browser logins are approved automatically (--pre-approve)");
Console.WriteLine("Press Ctrl+C to stop.");
var done = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    done.TrySetResult();
};
await done.Task;
return 0;
