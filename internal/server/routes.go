package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/web/static"
)

// routes is the whole URL surface of the service. Every route goes through
// s.route with the access it declares.
func (s *Server) routes(r chi.Router) {
	// Assets and health checks sit outside the access table: they carry no
	// data and must answer without a session.
	assets := static.Handler()
	r.Method(http.MethodGet, "/assets/*", assets)
	r.Method(http.MethodHead, "/assets/*", assets)
	r.Get("/healthz", s.handleHealthz)
	r.Get("/readyz", s.handleReadyz)

	s.route(r, http.MethodGet, "/sign-in", public, s.handleSignInShow)
	s.route(r, http.MethodPost, "/sign-in", public, s.handleSignInCreate)
	s.route(r, http.MethodPost, "/sign-out", public, s.handleSignOut)
	s.route(r, http.MethodGet, "/accessibility", public, s.handleAccessibility)
	// The second step of signing in (issue 14): the authenticator app's code,
	// or setting the app up at first sign-in. The session says whose.
	s.route(r, http.MethodGet, "/sign-in/two-factor", public, s.handleTwoFactorShow)
	s.route(r, http.MethodPost, "/sign-in/two-factor", public, s.handleTwoFactorCheck)
	s.route(r, http.MethodGet, "/sign-in/two-factor/set-up", public, s.handleTwoFactorSetUpShow)
	s.route(r, http.MethodPost, "/sign-in/two-factor/set-up", public, s.handleTwoFactorSetUp)
	// Single sign-on for Ofsted staff (OIDC_*; 404 when not configured).
	s.route(r, http.MethodGet, "/sign-in/sso", public, s.handleSSOStart)
	s.route(r, http.MethodGet, "/sign-in/sso/callback", public, s.handleSSOCallback)
	// Links sent by email: a forgotten password, an invitation. The token in
	// the link is the credential.
	s.route(r, http.MethodGet, "/forgot-password", public, s.handleForgotPasswordShow)
	s.route(r, http.MethodPost, "/forgot-password", public, s.handleForgotPassword)
	s.route(r, http.MethodGet, "/reset-password/{token}", public, s.showPasswordLink(resetLink))
	s.route(r, http.MethodPost, "/reset-password/{token}", public, s.usePasswordLink(resetLink))
	s.route(r, http.MethodGet, "/invitations/{token}", public, s.showPasswordLink(invitationLink))
	s.route(r, http.MethodPost, "/invitations/{token}", public, s.usePasswordLink(invitationLink))

	s.route(r, http.MethodGet, "/", signedIn, s.handleHome)
	// People (issue 14): administrators invite people and change their
	// accounts; user.Check decides each change, and each is recorded.
	s.route(r, http.MethodGet, "/users", adminOnly, s.handleUserList)
	s.route(r, http.MethodGet, "/users/invite", adminOnly, s.handleUserInviteShow)
	s.route(r, http.MethodPost, "/users/invite", adminOnly, s.handleUserInvite)
	s.route(r, http.MethodGet, "/users/changes", adminOnly, s.handleUserChanges)
	s.route(r, http.MethodGet, "/users/{userID}", adminOnly, s.handleUserShow)
	s.route(r, http.MethodGet, "/users/{userID}/role", adminOnly, s.handleUserRoleShow)
	s.route(r, http.MethodPost, "/users/{userID}/role", adminOnly, s.handleUserRole)
	s.route(r, http.MethodGet, "/users/{userID}/deactivate", adminOnly, s.handleUserDeactivateShow)
	s.route(r, http.MethodPost, "/users/{userID}/deactivate", adminOnly, s.userAction(user.Deactivate))
	s.route(r, http.MethodPost, "/users/{userID}/reactivate", adminOnly, s.userAction(user.Reactivate))
	s.route(r, http.MethodPost, "/users/{userID}/unlock", adminOnly, s.userAction(user.Unlock))
	s.route(r, http.MethodPost, "/users/{userID}/password-reset", adminOnly, s.userAction(user.SendPasswordReset))
	s.route(r, http.MethodPost, "/users/{userID}/invitation", adminOnly, s.userAction(user.ResendInvitation))
	s.route(r, http.MethodPost, "/users/{userID}/two-factor/reset", adminOnly, s.userAction(user.ResetTwoFactor))
	// Scheduled jobs (publication, the retention purge): what ran, failed, waits.
	s.route(r, http.MethodGet, "/admin/jobs", adminOnly, s.handleJobList)
	// Email (issue 13): every message sent or that would be, and a failed
	// one sent again.
	s.route(r, http.MethodGet, "/admin/messages", adminOnly, s.handleMessageList)
	s.route(r, http.MethodGet, "/admin/messages/{messageID}", adminOnly, s.handleMessageShow)
	s.route(r, http.MethodPost, "/admin/messages/{messageID}/retry", adminOnly, s.handleMessageRetry)

	// Your account: details, sessions (each can be ended), the recovery
	// codes just made; changing the password ends every other session.
	s.route(r, http.MethodGet, "/account", signedIn, s.handleAccountShow)
	s.route(r, http.MethodPost, "/account/sessions/{sessionID}/end", signedIn, s.handleSessionEnd)
	s.route(r, http.MethodGet, "/account/recovery-codes", signedIn, s.handleRecoveryCodes)
	s.route(r, http.MethodGet, "/account/password", signedIn, s.handleAccountPasswordShow)
	s.route(r, http.MethodPost, "/account/password", signedIn, s.handleAccountPassword)
	// Which emails you get: information messages each, in a digest, or not.
	s.route(r, http.MethodGet, "/account/messages", signedIn, s.handleAccountMessagesShow)
	s.route(r, http.MethodPost, "/account/messages", signedIn, s.handleAccountMessages)

	// Visits: scheduling, the timeline, recording and overriding dates.
	s.route(r, http.MethodGet, "/visits/new", schedulers, s.handleVisitNew)
	s.route(r, http.MethodPost, "/visits/new", schedulers, s.handleVisitCreate)
	s.route(r, http.MethodGet, "/visits/{visitID}", signedIn, s.handleVisitShow)
	s.route(r, http.MethodGet, "/visits/{visitID}/history", ofstedOnly, s.handleVisitHistory)
	// Administrators may download a visit's history as CSV (issue 7).
	s.route(r, http.MethodGet, "/visits/{visitID}/history.csv", adminOnly, s.handleVisitHistoryCSV)
	s.route(r, http.MethodGet, "/visits/{visitID}/edit", ofstedOnly, s.handleVisitEdit)
	s.route(r, http.MethodPost, "/visits/{visitID}/edit", ofstedOnly, s.handleVisitUpdate)
	s.route(r, http.MethodGet, "/visits/{visitID}/cancel", ofstedOnly, s.handleVisitCancelShow)
	s.route(r, http.MethodPost, "/visits/{visitID}/cancel", ofstedOnly, s.handleVisitCancel)
	// After a closure day moved the dates after notice: the record that the
	// chief executive was told in writing (DOMAIN decision 14).
	s.route(r, http.MethodGet, "/visits/{visitID}/ceo-told", ofstedOnly, s.handleCEOToldShow)
	s.route(r, http.MethodPost, "/visits/{visitID}/ceo-told", ofstedOnly, s.handleCEOTold)
	// A notice call recorded in error, undone on the day (DOMAIN decision 10).
	s.route(r, http.MethodGet, "/visits/{visitID}/notice/undo", adminOnly, s.handleNoticeUndoShow)
	s.route(r, http.MethodPost, "/visits/{visitID}/notice/undo", adminOnly, s.handleNoticeUndo)
	s.route(r, http.MethodGet, "/visits/{visitID}/milestones/{code}/record", ofstedOnly, s.handleMilestoneRecordShow)
	s.route(r, http.MethodPost, "/visits/{visitID}/milestones/{code}/record", ofstedOnly, s.handleMilestoneRecord)
	s.route(r, http.MethodGet, "/visits/{visitID}/milestones/{code}/override", ofstedOnly, s.handleMilestoneOverrideShow)
	s.route(r, http.MethodPost, "/visits/{visitID}/milestones/{code}/override", ofstedOnly, s.handleMilestoneOverride)

	// Deferrals.
	s.route(r, http.MethodGet, "/visits/{visitID}/deferrals/new", signedIn, s.handleDeferralNew)
	s.route(r, http.MethodPost, "/visits/{visitID}/deferrals/new", signedIn, s.handleDeferralCreate)
	s.route(r, http.MethodGet, "/visits/{visitID}/deferrals/{deferralID}/decide", signedIn, s.handleDeferralDecideShow)
	s.route(r, http.MethodPost, "/visits/{visitID}/deferrals/{deferralID}/decide", signedIn, s.handleDeferralDecide)

	// Closure days (administrators).
	s.route(r, http.MethodGet, "/closure-days", adminOnly, s.handleClosureList)
	s.route(r, http.MethodGet, "/closure-days/new", adminOnly, s.handleClosureNew)
	s.route(r, http.MethodPost, "/closure-days/new", adminOnly, s.handleClosureCreate)
	s.route(r, http.MethodGet, "/closure-days/{date}/remove", adminOnly, s.handleClosureRemoveShow)
	s.route(r, http.MethodPost, "/closure-days/{date}/remove", adminOnly, s.handleClosureRemove)

	// Calendars: month view, .ics downloads and private subscription feeds.
	s.route(r, http.MethodGet, "/visits/{visitID}/calendar.ics", signedIn, s.handleVisitCalendar)
	s.route(r, http.MethodGet, "/account/calendar", signedIn, s.handleCalendarLinkShow)
	s.route(r, http.MethodPost, "/account/calendar/reset", signedIn, s.handleCalendarLinkReset)
	// The feed has no session: calendar apps send no cookies, and the token
	// in the link is the credential.
	s.route(r, http.MethodGet, "/calendar/feed/{token}.ics", public, s.handleCalendarFeed)
	s.route(r, http.MethodGet, "/calendar", signedIn, s.handleCalendarMonth)

	// The information request (Annex A) and Cafcass deferral requests.
	s.route(r, http.MethodGet, "/visits/{visitID}/request", signedIn, s.handleRequestShow)
	s.route(r, http.MethodGet, "/visits/{visitID}/request/edit", signedIn, s.handleRequestEdit)
	s.route(r, http.MethodPost, "/visits/{visitID}/request/edit", signedIn, s.handleRequestUpdate)
	s.route(r, http.MethodGet, "/visits/{visitID}/request/items/new", signedIn, s.handleRequestItemNew)
	s.route(r, http.MethodPost, "/visits/{visitID}/request/items/new", signedIn, s.handleRequestItemCreate)
	s.route(r, http.MethodGet, "/visits/{visitID}/request/items/{itemID}", signedIn, s.handleRequestItemShow)
	// Each action on an item has its route; annexa.Check decides who may.
	s.route(r, http.MethodPost, "/visits/{visitID}/request/items/{itemID}/submit", signedIn, s.handleRequestItemSubmit)
	s.route(r, http.MethodPost, "/visits/{visitID}/request/items/{itemID}/not-held", signedIn, s.handleRequestItemNotHeld)
	s.route(r, http.MethodPost, "/visits/{visitID}/request/items/{itemID}/start", signedIn, s.handleRequestItemStart)
	s.route(r, http.MethodPost, "/visits/{visitID}/request/items/{itemID}/coverage", cafcassOnly, s.handleRequestItemCoverage)
	s.route(r, http.MethodPost, "/visits/{visitID}/request/items/{itemID}/accept", signedIn, s.handleRequestItemAccept)
	s.route(r, http.MethodPost, "/visits/{visitID}/request/items/{itemID}/return", signedIn, s.handleRequestItemReturn)
	s.route(r, http.MethodPost, "/visits/{visitID}/request/items/{itemID}/questions", cafcassOnly, s.handleRequestItemAsk)
	s.route(r, http.MethodPost, "/visits/{visitID}/request/items/{itemID}/questions/{questionID}/answer", reviewers, s.handleRequestItemAnswer)
	s.route(r, http.MethodGet, "/visits/{visitID}/deferrals/request", signedIn, s.handleDeferralAskShow)
	s.route(r, http.MethodPost, "/visits/{visitID}/deferrals/request", signedIn, s.handleDeferralAsk)

	// Files.
	s.route(r, http.MethodPost, "/visits/{visitID}/request/items/{itemID}/files", signedIn, s.handleFileCreate)
	s.route(r, http.MethodGet, "/visits/{visitID}/files/{fileID}", signedIn, s.handleFileShow)
	s.route(r, http.MethodGet, "/visits/{visitID}/files/{fileID}/remove", signedIn, s.handleFileRemoveConfirm)
	s.route(r, http.MethodPost, "/visits/{visitID}/files/{fileID}/remove", signedIn, s.handleFileRemove)

	// Child-level data and the case sample: need to know only (DOMAIN
	// decision 17); every view is recorded, and administrators see the record.
	s.route(r, http.MethodGet, "/visits/{visitID}/request/items/{itemID}/child-list", childDataShared, s.handleChildListShow)
	s.route(r, http.MethodPost, "/visits/{visitID}/request/items/{itemID}/child-list", childDataShared, s.handleChildListCreate)
	// Empty lists to fill in: the header row alone (issue 15.1).
	s.route(r, http.MethodGet, "/visits/{visitID}/request/items/{itemID}/child-list/template.csv", childDataShared, s.handleChildListTemplate)
	s.route(r, http.MethodGet, "/visits/{visitID}/request/items/{itemID}/child-list/template.xlsx", childDataShared, s.handleChildListTemplate)
	s.route(r, http.MethodGet, "/visits/{visitID}/child-data", childDataTeam, s.handleChildDataShow)
	s.route(r, http.MethodGet, "/visits/{visitID}/child-data/sample/new", childDataTeam, s.handleSampleNew)
	s.route(r, http.MethodPost, "/visits/{visitID}/child-data/sample/new", childDataTeam, s.handleSampleCreate)
	s.route(r, http.MethodPost, "/visits/{visitID}/child-data/sample/{sampleID}/remove", childDataTeam, s.handleSampleDelete)
	// Releasing the sample asks first (issue 15.6).
	s.route(r, http.MethodGet, "/visits/{visitID}/child-data/sample/release", childDataTeam, s.handleSampleReleaseConfirm)
	s.route(r, http.MethodPost, "/visits/{visitID}/child-data/sample/release", childDataTeam, s.handleSampleRelease)
	s.route(r, http.MethodGet, "/visits/{visitID}/case-sample", childDataShared, s.handleCaseSampleShow)
	s.route(r, http.MethodGet, "/admin/children-data-views", adminOnly, s.handleChildDataViewList)
	s.route(r, http.MethodGet, "/visits/{visitID}/children-data-views", adminOnly, s.handleVisitChildDataViewList)

	// The visit workspace (issue 17): the set-up call record, conversations
	// with stakeholders, the fieldwork plan, evidence; internal/fieldwork
	// decides who, after the visit is looked for (its children's data
	// routes answer 404 to the roles never on its need-to-know team).
	s.route(r, http.MethodGet, "/visits/{visitID}/workspace", signedIn, s.handleWorkspaceShow)
	s.route(r, http.MethodGet, "/visits/{visitID}/workspace/set-up", signedIn, s.handleSetUpEdit)
	s.route(r, http.MethodPost, "/visits/{visitID}/workspace/set-up", signedIn, s.handleSetUpUpdate)
	s.route(r, http.MethodGet, "/visits/{visitID}/workspace/stakeholders/new", signedIn, s.handleConversationNew)
	s.route(r, http.MethodPost, "/visits/{visitID}/workspace/stakeholders/new", signedIn, s.handleConversationCreate)
	s.route(r, http.MethodGet, "/visits/{visitID}/workspace/fieldwork", childDataShared, s.handleFieldworkShow)
	s.route(r, http.MethodGet, "/visits/{visitID}/workspace/fieldwork/{sampleID}", childDataTeam, s.handleDiscussionEdit)
	s.route(r, http.MethodPost, "/visits/{visitID}/workspace/fieldwork/{sampleID}", childDataTeam, s.handleDiscussionUpdate)
	s.route(r, http.MethodGet, "/visits/{visitID}/workspace/evidence", childDataTeam, s.handleEvidenceShow)
	s.route(r, http.MethodGet, "/visits/{visitID}/workspace/evidence/new", childDataTeam, s.handleEvidenceNew)
	s.route(r, http.MethodPost, "/visits/{visitID}/workspace/evidence/new", childDataTeam, s.handleEvidenceCreate)
	// Children, parents and carers (issue 17, item 5): contacts and the
	// Young People's Board's two checks, children's data.
	s.route(r, http.MethodGet, "/visits/{visitID}/workspace/contacts", childDataTeam, s.handleContactsShow)
	s.route(r, http.MethodGet, "/visits/{visitID}/workspace/contacts/new", childDataTeam, s.handleContactNew)
	s.route(r, http.MethodPost, "/visits/{visitID}/workspace/contacts/new", childDataTeam, s.handleContactCreate)
	s.route(r, http.MethodGet, "/visits/{visitID}/workspace/checks", childDataTeam, s.handleChecksShow)
	s.route(r, http.MethodGet, "/visits/{visitID}/workspace/checks/views/new", childDataTeam, s.handleViewsCheckNew)
	s.route(r, http.MethodPost, "/visits/{visitID}/workspace/checks/views/new", childDataTeam, s.handleViewsCheckCreate)
	s.route(r, http.MethodGet, "/visits/{visitID}/workspace/checks/office/new", childDataTeam, s.handleOfficeCheckNew)
	s.route(r, http.MethodPost, "/visits/{visitID}/workspace/checks/office/new", childDataTeam, s.handleOfficeCheckCreate)

	// The letter of findings: Cafcass, complaints, publication.
	s.route(r, http.MethodGet, "/visits/{visitID}/letter/cafcass", signedIn, s.handleLetterCafcassShow)
	s.route(r, http.MethodGet, "/visits/{visitID}/letter/draft", signedIn, s.handleLetterDraftShow)
	s.route(r, http.MethodGet, "/visits/{visitID}/letter/draft/comments/new", signedIn, s.handleLetterCommentNew)
	s.route(r, http.MethodPost, "/visits/{visitID}/letter/draft/comments/new", signedIn, s.handleLetterCommentCreate)
	s.route(r, http.MethodGet, "/visits/{visitID}/letter/draft/comments/check", signedIn, s.handleLetterCommentCheck)
	s.route(r, http.MethodPost, "/visits/{visitID}/letter/draft/comments/check", signedIn, s.handleLetterCommentSubmit)
	s.route(r, http.MethodGet, "/visits/{visitID}/letter/draft/comments/{commentID}", signedIn, s.handleLetterCommentEdit)
	s.route(r, http.MethodPost, "/visits/{visitID}/letter/draft/comments/{commentID}", signedIn, s.handleLetterCommentUpdate)
	s.route(r, http.MethodPost, "/visits/{visitID}/letter/draft/comments/{commentID}/remove", signedIn, s.handleLetterCommentRemove)
	s.route(r, http.MethodGet, "/visits/{visitID}/letter/comments", ofstedOnly, s.handleLetterCommentList)
	s.route(r, http.MethodPost, "/visits/{visitID}/letter/comments/{commentID}/response", ofstedOnly, s.handleLetterCommentRespond)
	s.route(r, http.MethodGet, "/visits/{visitID}/letter/final", signedIn, s.handleLetterFinalShow)
	s.route(r, http.MethodGet, "/visits/{visitID}/letter/complaint", signedIn, s.handleComplaintNew)
	s.route(r, http.MethodPost, "/visits/{visitID}/letter/complaint", signedIn, s.handleComplaintCreate)
	s.route(r, http.MethodGet, "/visits/{visitID}/letter/complaints/{complaintID}/resolve", ofstedOnly, s.handleComplaintResolve)
	s.route(r, http.MethodPost, "/visits/{visitID}/letter/complaints/{complaintID}/resolve", ofstedOnly, s.handleComplaintResolveCreate)
	// Published letters are public: no sign-in, and only published copies.
	s.route(r, http.MethodGet, "/letters", public, s.handlePublicationList)
	s.route(r, http.MethodGet, "/letters/{slug}.pdf", public, s.handlePublicationPDF)
	s.route(r, http.MethodGet, "/letters/{slug}", public, s.handlePublicationShow)
	// Feedback from children and young people (issue 17.6): public, no
	// sign-in, found by the visit's code; the team reads the answers
	// (children's data, need to know only).
	s.route(r, http.MethodGet, "/feedback", public, s.handleFeedbackShow)
	s.route(r, http.MethodPost, "/feedback", public, s.handleFeedbackCode)
	s.route(r, http.MethodPost, "/feedback/answers", public, s.handleFeedbackCreate)
	s.route(r, http.MethodGet, "/feedback/thanks", public, s.handleFeedbackThanks)
	s.route(r, http.MethodPost, "/visits/{visitID}/feedback-code", signedIn, s.handleFeedbackCodeCreate)
	s.route(r, http.MethodGet, "/visits/{visitID}/workspace/feedback", childDataTeam, s.handleFeedbackAnswers)

	// The letter of findings: drafting, QA, moderation (Ofsted).
	s.route(r, http.MethodGet, "/visits/{visitID}/letter", ofstedOnly, s.handleLetterShow)
	s.route(r, http.MethodPost, "/visits/{visitID}/letter", ofstedOnly, s.handleLetterUpdate)
	s.route(r, http.MethodGet, "/visits/{visitID}/letter/edit", ofstedOnly, s.handleLetterEdit)
	s.route(r, http.MethodGet, "/visits/{visitID}/letter/children-summary", ofstedOnly, s.handleLetterSummaryEdit)
	s.route(r, http.MethodPost, "/visits/{visitID}/letter/children-summary", ofstedOnly, s.handleLetterSummaryUpdate)
	s.route(r, http.MethodPost, "/visits/{visitID}/letter/edit", ofstedOnly, s.handleLetterSave)
	s.route(r, http.MethodGet, "/visits/{visitID}/letter/versions", ofstedOnly, s.handleLetterVersions)
	s.route(r, http.MethodGet, "/visits/{visitID}/letter/compare", ofstedOnly, s.handleLetterCompare)
	s.route(r, http.MethodGet, "/visits/{visitID}/letter/qa", ofstedOnly, s.handleLetterQAShow)
	s.route(r, http.MethodPost, "/visits/{visitID}/letter/qa", ofstedOnly, s.handleLetterQA)
	s.route(r, http.MethodGet, "/visits/{visitID}/letter/moderation", ofstedOnly, s.handleLetterModerationShow)
	s.route(r, http.MethodPost, "/visits/{visitID}/letter/moderation", ofstedOnly, s.handleLetterModeration)
	// Evidence linked to the findings (issue 17.4): the lead links; the
	// need-to-know team, the QAM and the moderator read what is linked.
	s.route(r, http.MethodGet, "/visits/{visitID}/letter/evidence", linkedEvidenceReaders, s.handleLetterEvidenceShow)
	s.route(r, http.MethodGet, "/visits/{visitID}/letter/findings/{findingID}/evidence", childDataTeam, s.handleFindingEvidenceEdit)
	s.route(r, http.MethodPost, "/visits/{visitID}/letter/findings/{findingID}/evidence", childDataTeam, s.handleFindingEvidenceUpdate)
}

// unguarded lists the routes registered outside s.route, on purpose.
var unguarded = map[string]bool{
	"GET /assets/*":  true,
	"HEAD /assets/*": true,
	"GET /healthz":   true,
	"GET /readyz":    true,
}

// Unguarded reports whether a route is deliberately outside the access table.
func Unguarded(method, pattern string) bool { return unguarded[method+" "+pattern] }
