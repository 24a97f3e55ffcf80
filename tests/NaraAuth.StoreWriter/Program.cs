using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;

// usage: NaraAuth.StoreWriter <token file> <token> <times> [runtime account]
// A refused write prints its error id and exits with 3, so a test run as another user can tell it.
var path = args[0];
var token = args[1];
var times = args.Length > 2 ? int.Parse(args[2]) : 1;
try
{
    var owner = args.Length > 3 ? RuntimeAccount.ForWriting(args[3], SystemEnvironment.Instance) : null;
    for (var i = 0; i < times; i++)
        new TokenFile(token, DateTimeOffset.UtcNow).Write(SecureFileStore.Default, path, owner: owner);
}
catch (NaraAuthException e)
{
    Console.Error.WriteLine(e.ErrorId);
    return 3;
}
return 0;
