import MarqueeServer

// `marquee serve | migrate | admin`: the commands and their settings are in MarqueeServer
// (Commands/ and Settings/), where tests can reach them.
@main extension MarqueeCommand {}
