// Issue 2 with JavaScript switched off: the same story as booking.test.js (see story.js). The
// site is plain HTML forms and links, so everything works the same; only the «Распечатать»
// button, which needs JavaScript, stays hidden (the page tells how to print with Ctrl+P).

import { bookingStory } from './story.js';

bookingStory({ file: 4, which: 3, javaScriptEnabled: false });
