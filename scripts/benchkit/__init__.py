"""The parts of scripts/bench, Marquee's benchmark."""
