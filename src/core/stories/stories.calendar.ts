import type { CalendarSource } from '../calendar/sources.js';
import { listScheduledStories } from './stories.service.js';

/** Failure stories in the content calendar: approved ones on their publication date, and those published. */
export const storiesSource: CalendarSource = {
  name: 'stories',
  async entries(tx, community, { from, to }) {
    const scheduled = await listScheduledStories(tx, community.id, from, to);
    return scheduled.map((story) => ({
      at: story.at,
      source: 'story',
      kind: 'story-publication',
      id: story.storyId,
      title: story.number ? `#${story.number} ${story.preview}` : story.preview,
      recurring: false,
      status: story.status === 'published' ? 'done' : 'planned',
    }));
  },
};
