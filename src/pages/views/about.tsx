// How the site works, in readers' terms: where papers come from, how lists are ranked, what members do.
import { MAX_LIKED } from '../../ranking/taste.ts';
import { GRAVITY, WINDOW_DAYS } from '../../ranking/trending.ts';
import { Layout } from './layout.tsx';
import type { Site } from '../../http/context.ts';

export function AboutPage(props: { site: Site }) {
  return (
    <Layout
      site={props.site}
      meta={{ title: 'About', description: 'Where the papers come from and how the lists are ranked.', path: '/about' }}
    >
      <article class="about">
        <h1>About {props.site.name}</h1>
        <p>
          Each weekday arXiv announces the papers submitted since the day before. {props.site.name} puts that day's new papers, and those
          cross-listed into the categories it follows, on the day's list, and readers' upvotes rank them.
        </p>
        <h2 id="daily">Daily, weekly and monthly lists</h2>
        <p>
          A list is named by the day arXiv announced its papers (on arXiv's clock, New York time): the announcement made on Sunday evening
          is Monday's list. Lists rank papers by upvotes, then the newest first. arXiv does not announce on weekends and holidays, so those
          days have no list.
        </p>
        <h2 id="trending">Trending</h2>
        <p>
          Trending shows what is rising now rather than what has gathered the most votes. Each paper of the last {WINDOW_DAYS} days of lists
          scores
        </p>
        <p class="formula">
          <code>
            score = upvotes / (hours since it entered its list + 2)<sup>{GRAVITY}</sup>
          </code>
        </p>
        <p>
          so a fresh paper with a few votes can pass an older one with many, and yesterday's hits sink as the days go by. It is the
          "gravity" ranking Hacker News made well known. A paper's page shows its place on today's trending list.
        </p>
        <h2 id="for-you">For you</h2>
        <p>
          Signed in, a day's or a week's list has a <em>For you</em> tab: the list ranked by your own taste. What you upvoted, saved to a
          list or submitted (your {MAX_LIKED} most recent) is set against a fixed sample of papers at random and against what you marked{' '}
          <em>Not interested</em>, and a linear model over the papers' search embeddings learns what separates them (a ridge regression,
          like arxiv-sanity's SVM):
        </p>
        <p class="formula">
          <code>score = w · paper's embedding</code>
        </p>
        <p>
          It is learned again the moment you vote, save or mark a paper, and each paper says which of yours it is nearest. Until you have
          liked a few papers, the topics you name in Settings stand in for them. Papers you marked <em>Not interested</em> leave the tab.
          Nothing of this is shown to anyone else.
        </p>
        <h2 id="community">Upvotes, submissions and discussion</h2>
        <p>
          Members upvote a paper once; a paper's count adds their votes to the count Hugging Face's community gave it, when it has one.
          Members can also put a new arXiv paper on today's list (it shows who submitted it), and discuss papers in Markdown with math.
          Moderators hide comments that are spam, abusive or off-topic, or a discussion that is resolved, and say which; readers can report
          a comment to them. Reading lists and BibTeX export are for everyone with an account.
        </p>
        <h2 id="sources">Where the papers come from</h2>
        <p>
          Titles, authors and abstracts come from arXiv (thank you to arXiv for use of its open access interoperability); PDFs are always
          read on arXiv. Upvote counts, code links and project pages may also come from Hugging Face's Daily Papers.
        </p>
      </article>
    </Layout>
  );
}
